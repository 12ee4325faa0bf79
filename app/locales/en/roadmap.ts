export default {
  title: 'roadmap',
} as const;
