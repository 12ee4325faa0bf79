import account from './zh-CN/account.js';
import admin from './zh-CN/admin.js';
import auth from './zh-CN/auth.js';
import common from './zh-CN/common.js';

export default { common, auth, account, admin };
