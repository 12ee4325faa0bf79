import account from './en/account.js';
import admin from './en/admin.js';
import auth from './en/auth.js';
import common from './en/common.js';
import post from './en/post.js';
import posts from './en/posts.js';
import profile from './en/profile.js';
import notifications from './en/notifications.js';
import moderation from './en/moderation.js';
import triage from './en/triage.js';
import roadmap from './en/roadmap.js';
import insights from './en/insights.js';
import merge from './en/merge.js';
import rewards from './en/rewards.js';
import finance from './en/finance.js';
import payments from './en/payments.js';

export default { common, auth, account, admin, post, posts, profile, notifications, moderation, triage, roadmap, insights, merge, rewards, finance, payments };
