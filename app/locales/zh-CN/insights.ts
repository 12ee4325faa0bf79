import type en from '../en/insights.js';
import type { Translated } from '../types.js';

export default {
  title: 'insights',
} satisfies Translated<typeof en>;
