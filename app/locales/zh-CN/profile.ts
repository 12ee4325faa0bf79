import type en from '../en/profile.js';
import type { Translated } from '../types.js';

export default {
  title: '个人主页',
  intro: '该化名的帖子、声望与徽章。',
  tier: '{{tier}}',
  reputation: '声望',
  reputationValue: '{{count}} 分',
  reputationHint: '可见帖子获得的投票数；每个被产品团队采纳的帖子（本人的帖子，或合并进来的重复帖子）加 5 分，该帖子上线后再加 10 分。',
  leaderboardLink: '查看排行榜',
  badges: {
    title: '徽章',
    none: '暂无徽章。',
    first_post: '首次发帖',
    heard: '被听见（有帖子获得 10 票及以上）',
    adopted: '首次采纳（有帖子已计划、进行中或已上线）',
    five_adopted: '五次采纳（五个帖子被产品团队采纳）',
    shipped: '已上线（需求已实现或吐槽问题已修复）',
    short: {
      first_post: '首次发帖',
      heard: '被听见',
      adopted: '首次采纳',
      five_adopted: '五次采纳',
      shipped: '已上线',
    },
  },
  posts: {
    title: '帖子',
    empty: '暂无帖子。',
    columns: {
      title: '标题',
      type: '类型',
      status: '状态',
      votes: '投票',
      posted: '发布日期',
    },
  },
} satisfies Translated<typeof en>;
