import type en from '../en/triage.js';
import type { Translated } from '../types.js';

export default {
  title: 'triage',
} satisfies Translated<typeof en>;
