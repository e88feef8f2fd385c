// A server component with an inline server function that closes over the page's params.
import { getPost, savePost } from './posts.js'
import { requireUser } from './session.js'
import { UsersButton } from './button.jsx'

export default async function PostPage({ params }) {
  const post = await getPost(params.id)
  async function updatePost(formData) {
    'use server'
    await requireUser()
    await savePost(params.id, formData.get('title'))
  }
  return (
    <main>
      <h1 id="title">{post.title}</h1>
      <form action={updatePost}>
        <input name="title" aria-label="Title" />
        <button type="submit">Save</button>
      </form>
      <UsersButton />
    </main>
  )
}
