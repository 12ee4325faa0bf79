import { randomInt } from 'node:crypto';

// Aligned word lists: the same pair of indices gives "Quiet Falcon" and
// "沉静的猎鹰", so a member is the same person in both languages.
const ADJECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['Quiet', '沉静'], ['Brave', '勇敢'], ['Calm', '平和'], ['Clever', '机敏'], ['Swift', '迅捷'],
  ['Bright', '明亮'], ['Gentle', '温和'], ['Bold', '无畏'], ['Steady', '沉稳'], ['Keen', '敏锐'],
  ['Silver', '银色'], ['Golden', '金色'], ['Amber', '琥珀'], ['Crimson', '绯红'], ['Azure', '湛蓝'],
  ['Misty', '朦胧'], ['Sunny', '晴朗'], ['Frosty', '霜白'], ['Windy', '迎风'], ['Stormy', '风暴'],
  ['Patient', '耐心'], ['Curious', '好奇'], ['Honest', '坦率'], ['Nimble', '灵巧'], ['Lucky', '幸运'],
  ['Wise', '睿智'], ['Merry', '快乐'], ['Noble', '高贵'], ['Proud', '骄傲'], ['Silent', '无声'],
  ['Wandering', '漫游'], ['Distant', '遥远'], ['Northern', '北方'], ['Southern', '南方'], ['Eastern', '东方'],
  ['Western', '西方'], ['Hidden', '隐秘'], ['Restless', '不倦'], ['Tireless', '不懈'], ['Careful', '谨慎'],
  ['Cheerful', '开朗'], ['Daring', '大胆'], ['Eager', '热切'], ['Faithful', '忠实'], ['Fearless', '无惧'],
  ['Graceful', '优雅'], ['Humble', '谦逊'], ['Jolly', '愉快'], ['Kind', '友善'], ['Lively', '活泼'],
  ['Mighty', '强大'], ['Polite', '礼貌'], ['Rapid', '飞快'], ['Sharp', '犀利'], ['Sturdy', '坚实'],
  ['Thoughtful', '深思'], ['Upbeat', '乐观'], ['Vivid', '鲜明'], ['Warm', '温暖'], ['Zealous', '热忱'],
  ['Jade', '翡翠'], ['Coral', '珊瑚'], ['Ivory', '象牙'], ['Cobalt', '钴蓝'],
];

const NOUNS: ReadonlyArray<readonly [string, string]> = [
  ['Falcon', '猎鹰'], ['Otter', '水獭'], ['Heron', '苍鹭'], ['Lynx', '猞猁'], ['Panda', '熊猫'],
  ['Crane', '仙鹤'], ['Fox', '狐狸'], ['Wolf', '灰狼'], ['Bear', '棕熊'], ['Tiger', '老虎'],
  ['Eagle', '雄鹰'], ['Owl', '猫头鹰'], ['Dolphin', '海豚'], ['Whale', '鲸鱼'], ['Seal', '海豹'],
  ['Badger', '獾'], ['Beaver', '河狸'], ['Bison', '野牛'], ['Camel', '骆驼'], ['Deer', '小鹿'],
  ['Egret', '白鹭'], ['Finch', '雀鸟'], ['Gecko', '壁虎'], ['Hare', '野兔'], ['Ibis', '朱鹮'],
  ['Jaguar', '美洲豹'], ['Kestrel', '红隼'], ['Lark', '云雀'], ['Magpie', '喜鹊'], ['Newt', '蝾螈'],
  ['Oriole', '黄鹂'], ['Pelican', '鹈鹕'], ['Quail', '鹌鹑'], ['Raven', '渡鸦'], ['Swan', '天鹅'],
  ['Turtle', '海龟'], ['Walrus', '海象'], ['Yak', '牦牛'], ['Zebra', '斑马'], ['Sparrow', '麻雀'],
  ['Robin', '知更鸟'], ['Koala', '考拉'], ['Moose', '驼鹿'], ['Puffin', '海鹦'], ['Salmon', '鲑鱼'],
  ['Stork', '白鹳'], ['Swallow', '燕子'], ['Squirrel', '松鼠'], ['Hedgehog', '刺猬'], ['Leopard', '猎豹'],
  ['Marten', '貂'], ['Osprey', '鱼鹰'], ['Peacock', '孔雀'], ['Pigeon', '鸽子'], ['Rabbit', '兔子'],
  ['Ram', '公羊'], ['Snail', '蜗牛'], ['Tortoise', '陆龟'], ['Viper', '蝰蛇'], ['Wren', '鹪鹩'],
  ['Kingfisher', '翠鸟'], ['Mantis', '螳螂'], ['Cricket', '蟋蟀'], ['Firefly', '萤火虫'],
];

export interface Pseudonym {
  en: string;
  zh: string;
}

/**
 * A random pseudonym. `attempt` > 0 adds a number, for when the plain pair is
 * taken (4,096 pairs cover far fewer than the 10,000 members we plan for).
 */
export function generatePseudonym(attempt = 0): Pseudonym {
  const [adjEn, adjZh] = ADJECTIVES[randomInt(ADJECTIVES.length)]!;
  const [nounEn, nounZh] = NOUNS[randomInt(NOUNS.length)]!;
  const suffix = attempt === 0 ? '' : ` ${randomInt(2, 1000)}`;
  return { en: `${adjEn} ${nounEn}${suffix}`, zh: `${adjZh}的${nounZh}${suffix}` };
}

export function pseudonymFor(user: { pseudonym: string; pseudonym_zh: string }, locale: string): string {
  return locale === 'zh-CN' ? user.pseudonym_zh : user.pseudonym;
}
