// How livelihood things are named on screen (presentation only: which actions are open, and
// what a ballot may be, come from the server).
import { eventLabel } from '../../labels';

export const CYCLE_STAGE: Record<string, string> = {
  collecting: '征集中',
  screening: '初审中',
  feasibility: '可行性论证',
  ballotList: '确定票决名单',
  awaitingVote: '待投票',
  voting: '投票中',
  implementation: '实施中',
  closed: '已结束',
};

export const PROJECT_STAGE: Record<string, string> = {
  implementation: '实施中',
  carriedOver: '结转实施',
  evaluation: '满意度测评',
  reReport: '再报告',
  escalated: '督办升级',
  closed: '已办结',
};

export const CANDIDATE_STATUS: Record<string, { text: string; color: string }> = {
  proposed: { text: '待初审', color: 'default' },
  accepted: { text: '通过初审', color: 'blue' },
  rejected: { text: '未通过初审', color: 'red' },
  merged: { text: '已合并', color: 'default' },
  notReviewed: { text: '未按期论证', color: 'orange' },
};

export const PROPOSER: Record<string, string> = { citizen: '群众', deputy: '代表', station: '联络站', unit: '部门' };

export const ROUND_KIND: Record<string, string> = { vote: '票决', revote: '重新投票', runoff: '决胜投票' };

export const NEXT: Record<string, string> = {
  elected: '已产生当选项目',
  runoff: '票数相同，进行决胜投票',
  revote: '未达法定人数，重新投票',
  noProjects: '未产生当选项目',
};

export const FINDING_STATUS: Record<string, { text: string; color: string }> = {
  noted: { text: '已记录', color: 'default' },
  open: { text: '待整改', color: 'orange' },
  fixed: { text: '已整改', color: 'green' },
  overdue: { text: '整改超期', color: 'red' },
};

/** Field names in the livelihood action schemas → labels. */
export const LH_FIELD: Record<string, string> = {
  jurisdiction: '行政区',
  year: '年度',
  title: '项目名称',
  category: '类别',
  stationId: '代联络站提出（联络站编号）',
  into: '保留的项目',
  merge: '并入的重复项目',
  reason: '理由',
  decision: '初审意见',
  feasible: '可行',
  costEstimate: '估算投资（元）',
  leadUnit: '牵头实施单位',
  coUnits: '配合单位',
  milestones: '节点',
  name: '节点名称',
  dueDate: '完成日期',
  note: '说明',
  candidateIds: '票决候选项目',
  present: '出席代表人数',
  percent: '完成进度（%）',
  spent: '已完成投资（元）',
  summary: '报告内容',
  milestonesDone: '本期完成的节点',
  group: '视察组',
  findings: '视察发现的问题',
  text: '问题',
  fixRequired: '须整改',
  fixDueAt: '整改期限',
  satisfied: '满意（票）',
  basicallySatisfied: '基本满意（票）',
  unsatisfied: '不满意（票）',
  rating: '满意度',
};

export const LH_ENUM: Record<string, string> = {
  accept: '通过初审',
  reject: '不予列入',
  satisfied: '满意',
  basicallySatisfied: '基本满意',
  unsatisfied: '不满意',
};

/** The refusals a person can meet here, in Chinese; the API's own words follow in brackets. */
export const REFUSAL: Record<string, string> = {
  already_voted: '您已在本轮投票中投过票，每位代表只能投一次',
  vote_closed: '投票已结束，不再接受选票',
  vote_not_open: '投票尚未开始',
  not_in_electorate: '您不在本次投票的代表名单中',
  too_many_choices: '所选项目超过应选名额',
  not_on_list: '所选项目不在本轮票决名单中',
  already_rated: '您已参加过本轮满意度测评',
  evaluation_not_open: '满意度测评尚未开始或已经结束',
  stage_conflict: '当前阶段不能办理此事项',
  forbidden: '无权办理此事项',
  case_closed: '已办结，不能再办理',
};

export const GROUP: Record<string, string> = {
  'education-group': '教科文卫代表小组',
  'environment-group': '生态环境代表小组',
};

const EVENT: Record<string, string> = {
  livelihoodCycleOpened: '启动年度征集',
  livelihoodCandidateProposed: '征集候选项目',
  livelihoodCandidatesMerged: '合并重复项目',
  livelihoodCandidateScreened: '初审',
  livelihoodCollectionClosed: '征集截止',
  livelihoodFeasibilityRequested: '提交政府可行性论证',
  livelihoodFeasibilityReviewed: '可行性论证',
  livelihoodFeasibilityOverdue: '可行性论证超期',
  livelihoodBallotListPublished: '确定票决名单',
  livelihoodVoteOpened: '开始投票',
  livelihoodVoteTallied: '计票结果',
  livelihoodProjectsElected: '产生当选项目',
  livelihoodCycleClosed: '年度票决结束',
  livelihoodProjectStarted: '项目启动实施',
  livelihoodProgressReminderSent: '进度报告提醒',
  livelihoodProgressReported: '报送进度',
  livelihoodProgressOverdue: '进度报告超期',
  livelihoodInspectionRecorded: '代表视察',
  livelihoodFixRequired: '要求整改',
  livelihoodFixReported: '整改报告',
  livelihoodFixOverdue: '整改超期',
  livelihoodMidYearReportDue: '年中报告开始',
  livelihoodMidYearReported: '年中报告',
  livelihoodMidYearOverdue: '年中报告超期',
  livelihoodProjectCarriedOver: '结转下一年度',
  livelihoodEvaluationOpened: '满意度测评开始',
  livelihoodProjectRated: '满意度测评结果',
  livelihoodReReportRequested: '要求再报告',
  livelihoodReReported: '再报告',
  livelihoodProjectScored: '绩效评分',
  livelihoodProjectEscalated: '督办升级',
  livelihoodProjectClosed: '项目办结',
};

export const lhEventLabel = (type: string) => {
  const last = type.split('.').pop() ?? type;
  return EVENT[last.charAt(0).toLowerCase() + last.slice(1)] ?? eventLabel(type);
};
