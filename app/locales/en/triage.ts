export default {
  title: 'triage',
} as const;
