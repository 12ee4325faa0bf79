import account from './en/account.js';
import admin from './en/admin.js';
import auth from './en/auth.js';
import common from './en/common.js';

export default { common, auth, account, admin };
