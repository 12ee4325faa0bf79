import type en from '../en/account.js';
import type { Translated } from '../types.js';

export default {
  settings: {
    title: '账户设置',
    intro: '其他人只能看到您的化名。您的姓名和邮箱仅在此页面向您本人显示。',
  },
  pseudonym: {
    title: '您的化名',
    en: '英文',
    zh: '中文',
    hint: '系统为您生成，永久归您所有。您发布的内容、投票和评论都以此名称显示。',
  },
  identity: {
    title: '您的身份信息',
    name: '姓名',
    email: '邮箱',
    hint: '加密保存。财务人员仅在向您支付奖励时读取，每次读取（包括本次）都会记入审计日志。',
    missing: '未记录',
  },
  language: {
    title: '语言',
    intro: '用于页面显示以及我们发给您的邮件。',
    label: '首选语言',
    submit: '保存语言设置',
    saved: '语言偏好已保存。',
  },
  password: {
    title: '修改密码',
    intro: '修改密码后，您在其他所有设备上都将退出登录。',
    current: '当前密码',
    new: '新密码',
    newHint: '10 到 128 个字符。避免常见密码；由几个词组成的短语效果很好。',
    submit: '修改密码',
    changed: '密码已修改，您已在其他所有设备上退出登录。',
    wrongCurrent: '当前密码不正确。',
    unchanged: '新密码不能与当前密码相同。',
    rateLimited: '尝试次数过多，请等待 {{minutes}} 分钟后再试。',
  },
  sessions: {
    title: '登录会话',
    intro: '如果您曾在公用或丢失的设备上使用 Candor，可以一次结束所有会话。之后在本设备上也需要重新登录。',
    submit: '在所有设备上退出',
    done: '您已在所有设备上退出登录。',
  },
} satisfies Translated<typeof en>;
