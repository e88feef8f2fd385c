// Post storage for the example page.
const posts = new Map()
export async function savePost(id, title) {
  posts.set(id, title)
}
