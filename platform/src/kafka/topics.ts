// Every topic the project uses, with its declared partition count. Created by ensureTopics
// (idempotent) at start-up of the processes that use them; auto-creation is off on the broker.
import type { Admin, Kafka } from 'kafkajs';

export interface TopicSpec {
  name: string;
  partitions: number;
  /** What it carries, for operators. */
  description: string;
}

export const TOPICS = {
  suggestionEvents: {
    name: 'duban.suggestion.events',
    partitions: 6,
    description: 'Envelope events of deputies’ suggestions, keyed by case id',
  },
  livelihoodEvents: {
    name: 'duban.livelihood.events',
    partitions: 6,
    description: 'Envelope events of livelihood projects (the annual cycle and each project), keyed by case id',
  },
  oversightEvents: {
    name: 'duban.oversight.events',
    partitions: 6,
    description: 'Envelope events of review opinions, inquiries, investigations and calendar duties, keyed by case id',
  },
  citizenEvents: {
    name: 'duban.citizen.events',
    partitions: 6,
    description: "Envelope events of citizens' opinions and liaison letters (ids only), keyed by case id",
  },
  caseIndexBoards: {
    name: 'duban.case-index.boards',
    partitions: 6,
    description:
      "The case index's own: changes to its boards (the lists), JSON, keyed by board so one consumer writes each",
  },
  deadLetter: {
    name: 'duban.dead-letter',
    partitions: 1,
    description: 'Messages a consumer could not decode or handle, with the reason in headers',
  },
} as const satisfies Record<string, TopicSpec>;

/** The topics of case events (envelopes): every topic but the dead-letter and the case index's own. */
export const CASE_EVENT_TOPICS: string[] = Object.values(TOPICS)
  .filter((t) => t.name !== TOPICS.deadLetter.name && t.name !== TOPICS.caseIndexBoards.name)
  .map((t) => t.name);

/** Which topic carries a case kind's events. */
export function topicForCaseKind(kind: string): string {
  switch (kind) {
    case 'suggestion':
      return TOPICS.suggestionEvents.name;

    // livelihood projects
    case 'livelihood_cycle':
    case 'livelihood_project':
      return TOPICS.livelihoodEvents.name;

    // review opinions, inquiry, investigation, resolutions
    case 'review_opinion':
    case 'inquiry':
    case 'investigation':
    case 'resolution':
      return TOPICS.oversightEvents.name;

    // calendar-driven duties
    case 'regulation_report':
    case 'appointee_report':
    case 'group_duty':
    case 'supervision_plan':
      return TOPICS.oversightEvents.name;

    // citizens' opinions and liaison letters
    case 'citizen_opinion':
    case 'liaison_letter':
      return TOPICS.citizenEvents.name;

    default:
      throw new Error(`no topic declared for case kind "${kind}"`);
  }
}

export async function ensureTopics(
  admin: Admin,
  topics: TopicSpec[] = Object.values(TOPICS),
  replicationFactor = 1,
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.name));
  if (missing.length === 0) return;
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((t) => ({
      topic: t.name,
      numPartitions: t.partitions,
      replicationFactor,
    })),
  });
}

/** Connects an admin client, creates missing topics, disconnects. */
export async function ensureTopicsWith(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin);
  } finally {
    await admin.disconnect();
  }
}
