import { describe, expect, it } from 'vitest';
import { detectIdentifyingText } from '../app/domain/posts/detect-identifying-text.js';
import { highlight, searchTerms, snippet } from '../app/domain/posts/highlight.js';

describe('detectIdentifyingText', () => {
  it.each([
    ['Write to me at li.wei@acme-telecom.com about it', ['email']],
    ['请发邮件到 zhang.san@example.cn 联系我', ['email']],
    ['Call me on +86 138 0013 8000', ['phone']],
    ['我的手机是13800138000，随时联系', ['phone']],
    ['Our desk: (021) 5555-1234', ['phone']],
    ['The server 10.20.30.40 drops packets', ['ip']],
    ['节点 192.168.1.254 一直告警', ['ip']],
    ['IPv6 host fe80::1ff:fe23:4567:890a is unreachable', ['ip']],
    ['See INC0012345 for details', ['ticket']],
    ['opened CASE-1234 last week', ['ticket']],
    ['工单号：20240312001 还没人处理', ['ticket']],
    ['The SHA01 site loses alarms every night', ['site']],
    ['站点 BJS-0231 的告警丢失', ['site']],
  ])('finds what identifies the writer in %j', (text, kinds) => {
    expect(detectIdentifyingText(text)).toEqual(kinds);
  });

  it('finds the member’s own org name, case-insensitively and in Chinese', () => {
    expect(detectIdentifyingText('At ACME Telecom we lose an hour a day', ['Acme Telecom'])).toEqual(['org']);
    expect(detectIdentifyingText('我们华东移动每天都要手工导出', ['华东移动'])).toEqual(['org']);
    expect(detectIdentifyingText('Nothing about the company here', ['Acme Telecom'])).toEqual([]);
  });

  it('names every kind it found, once each, in a fixed order', () => {
    const text = 'Acme: mail ops@acme.com, call +1 415 555 0100, host 10.0.0.1, INC0012345, site NYC123';
    expect(detectIdentifyingText(text, ['Acme'])).toEqual(['email', 'phone', 'ip', 'org', 'ticket', 'site']);
  });

  it.each([
    'Alarm export to CSV times out after 30 seconds',
    'It happened on 2025-03-12 and again on 2025-04-01',
    '影响了 1000000 个用户，每周损失 40 小时',
    'Version 5.2 of the EMS, HTTP2 and IPv6 support, UTF8 names',
    '告警风暴时界面卡死，需要重启客户端',
    '',
  ])('does not warn about ordinary text: %j', (text) => {
    expect(detectIdentifyingText(text, ['Acme Telecom'])).toEqual([]);
  });
});

describe('search highlighting', () => {
  it('marks every occurrence of each word, case-insensitively, as text segments', () => {
    expect(highlight('Alarm export: export alarms', searchTerms('EXPORT alarm'))).toEqual([
      { text: 'Alarm', match: true },
      { text: ' ', match: false },
      { text: 'export', match: true },
      { text: ': ', match: false },
      { text: 'export', match: true },
      { text: ' ', match: false },
      { text: 'alarm', match: true },
      { text: 's', match: false },
    ]);
  });

  it('marks parts of a Chinese phrase that has no word spaces', () => {
    const segments = highlight('数据库连接超时导致告警丢失', searchTerms('连接超时问题'));
    expect(segments.filter((segment) => segment.match).map((segment) => segment.text)).toEqual(['连接超时']);
    expect(segments.map((segment) => segment.text).join('')).toBe('数据库连接超时导致告警丢失');
  });

  it('keeps markup as plain text in segments', () => {
    const segments = highlight('<script>alert(1)</script> alert', ['alert']);
    expect(segments.map((segment) => segment.text).join('')).toBe('<script>alert(1)</script> alert');
  });

  it('cuts a snippet around the first match with ellipses', () => {
    const body = `${'lorem ipsum '.repeat(50)}the needle is here ${'dolor sit '.repeat(50)}`;
    const segments = snippet(body, ['needle'], 80);
    const text = segments.map((segment) => segment.text).join('');
    expect(text.startsWith('…')).toBe(true);
    expect(text.endsWith('…')).toBe(true);
    expect(segments.some((segment) => segment.match && segment.text === 'needle')).toBe(true);
  });
});
