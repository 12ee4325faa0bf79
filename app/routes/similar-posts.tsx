import type { LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { findSimilarPosts } from '~/domain/posts/find-similar-posts.server';
import { requireUser } from '~/utils/auth.server';

// Resource route for the compose form's live suggestions: ids, titles,
// statuses and counts only, never an author. It lives outside /posts/ so the
// browser can never take it for a post page (/posts/:postId) while routes
// are still being discovered.
const SimilarQuerySchema = z.object({ title: z.string().catch('') });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { title } = SimilarQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const posts = await findSimilarPosts(context.services.db, user, { title: title.slice(0, 200) });
  return { posts };
}
