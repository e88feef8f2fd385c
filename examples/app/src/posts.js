// Post storage for the page.
import { query } from './db.js'

export async function getPost(id) {
  const [post] = await query('SELECT id, title FROM posts WHERE id = $1', [id])
  return post ?? { id, title: '(untitled)' }
}

export async function savePost(id, title) {
  await query('INSERT INTO posts (id, title) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title',
    [id, String(title ?? '').slice(0, 200)])
}
