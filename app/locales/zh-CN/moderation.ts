import type en from '../en/moderation.js';
import type { Translated } from '../types.js';

export default {
  title: 'moderation',
} satisfies Translated<typeof en>;
