import type en from '../en/roadmap.js';
import type { Translated } from '../types.js';

export default {
  title: 'roadmap',
} satisfies Translated<typeof en>;
