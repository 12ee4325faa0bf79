import account from './zh-CN/account.js';
import admin from './zh-CN/admin.js';
import auth from './zh-CN/auth.js';
import common from './zh-CN/common.js';
import post from './zh-CN/post.js';
import posts from './zh-CN/posts.js';
import profile from './zh-CN/profile.js';

export default { common, auth, account, admin, post, posts, profile };
