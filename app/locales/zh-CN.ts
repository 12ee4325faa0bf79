import account from './zh-CN/account.js';
import admin from './zh-CN/admin.js';
import auth from './zh-CN/auth.js';
import common from './zh-CN/common.js';
import post from './zh-CN/post.js';
import posts from './zh-CN/posts.js';
import profile from './zh-CN/profile.js';
import notifications from './zh-CN/notifications.js';
import moderation from './zh-CN/moderation.js';
import triage from './zh-CN/triage.js';
import roadmap from './zh-CN/roadmap.js';
import insights from './zh-CN/insights.js';
import merge from './zh-CN/merge.js';
import rewards from './zh-CN/rewards.js';
import finance from './zh-CN/finance.js';
import payments from './zh-CN/payments.js';

export default { common, auth, account, admin, post, posts, profile, notifications, moderation, triage, roadmap, insights, merge, rewards, finance, payments };
