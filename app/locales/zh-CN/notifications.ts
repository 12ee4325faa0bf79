import type en from '../en/notifications.js';
import type { Translated } from '../types.js';

export default {
  title: 'notifications',
} satisfies Translated<typeof en>;
