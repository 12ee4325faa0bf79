export default {
  title: 'Profile',
  intro: 'A pseudonym’s posts, reputation and badges.',
  tier: '{{tier}} customer',
  reputation: 'Reputation',
  reputationValue: '{{count}} points',
  reputationHint: 'Votes received on visible posts, plus 5 points for each post the product team took up.',
  badges: {
    title: 'Badges',
    none: 'No badges yet.',
    first_post: 'First post',
    heard: 'Heard (a post with 10 or more votes)',
    adopted: 'Adopted (a post planned, in progress or shipped)',
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
