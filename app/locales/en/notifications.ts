export default {
  title: 'notifications',
} as const;
