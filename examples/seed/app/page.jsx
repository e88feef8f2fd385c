// A server component with an inline server function that closes over the page's params.
import { savePost } from './posts.js'
import { UsersButton } from './button.jsx'

export default async function PostPage({ params }) {
  async function updatePost(formData) {
    'use server'
    await savePost(params.id, formData.get('title'))
  }
  return (
    <main>
      <form action={updatePost}>
        <input name="title" />
        <button type="submit">Save</button>
      </form>
      <UsersButton />
    </main>
  )
}
