export default {
  title: 'moderation',
} as const;
