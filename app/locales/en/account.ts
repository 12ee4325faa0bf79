export default {
  settings: {
    title: 'Account settings',
    intro: 'Everyone else sees only your pseudonym. Your name and email are shown on this page, to you alone.',
  },
  pseudonym: {
    title: 'Your pseudonym',
    en: 'English',
    zh: 'Chinese',
    hint: 'Generated for you and yours to keep. Everything you post, vote on and comment on appears under it.',
  },
  identity: {
    title: 'Your identity',
    name: 'Name',
    email: 'Email',
    hint: 'Stored encrypted. Finance reads it only to pay you a reward, and every read, including this one, is recorded in the audit log.',
    missing: 'Not recorded',
  },
  language: {
    title: 'Language',
    intro: 'Used for the pages and for the emails we send you.',
    label: 'Preferred language',
    submit: 'Save language',
    saved: 'Your language preference is saved.',
  },
  password: {
    title: 'Change password',
    intro: 'Changing your password logs you out on every other device.',
    current: 'Current password',
    new: 'New password',
    newHint: '10 to 128 characters. Avoid common passwords; a phrase of several words works well.',
    submit: 'Change password',
    changed: 'Your password is changed. You were logged out on every other device.',
    wrongCurrent: 'The current password is not correct.',
    unchanged: 'The new password must be different from the current one.',
    rateLimited: 'Too many attempts. Please wait {{minutes}} minutes and try again.',
  },
  sessions: {
    title: 'Sessions',
    intro: 'If you used Candor on a shared or lost device, end every session at once. You will need to log in again here too.',
    submit: 'Log out everywhere',
    done: 'You were logged out on every device.',
  },
};
