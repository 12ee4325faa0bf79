export default {
  title: 'Profile',
  intro: 'A pseudonym’s posts, reputation and badges.',
  tier: '{{tier}} customer',
  reputation: 'Reputation',
  reputationValue: '{{count}} points',
  reputationHint:
    'Votes received on visible posts, plus 5 points for each post the product team took up (its own, or a duplicate merged into it) and 10 more when that post shipped.',
  leaderboardLink: 'See the leaderboard',
  badges: {
    title: 'Badges',
    none: 'No badges yet.',
    first_post: 'First post',
    heard: 'Heard (a post with 10 or more votes)',
    adopted: 'First adopted (a post planned, in progress or shipped)',
    five_adopted: 'Five adopted (five posts the product team took up)',
    shipped: 'Shipped (a request built or a complaint fixed)',
    short: {
      first_post: 'First post',
      heard: 'Heard',
      adopted: 'First adopted',
      five_adopted: 'Five adopted',
      shipped: 'Shipped',
    },
  },
  posts: {
    title: 'Posts',
    empty: 'No posts yet.',
    columns: {
      title: 'Title',
      type: 'Type',
      status: 'Status',
      votes: 'Votes',
      posted: 'Posted',
    },
  },
};
