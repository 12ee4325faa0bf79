export default {
  title: 'insights',
} as const;
