// How things are named on screen (presentation only: which actions are open comes from the server).
export const ROLE: Record<string, string> = {
  deputy: '代表',
  unit: '承办单位',
  staff: '常委会工作机构',
  citizen: '群众',
  operator: '运维',
};

export const KIND: Record<string, string> = {
  suggestion: '代表建议',
  citizen_opinion: '群众意见',
  liaison_letter: '联络函',
  inquiry: '专题询问',
  investigation: '特定问题调查',
  supervision_plan: '监督计划',
  livelihood_cycle: '民生实事票决',
  livelihood_project: '民生实事项目',
  regulation_report: '规范性文件备案',
  appointee_report: '任命人员履职报告',
  group_duty: '专业小组',
  escalation_ladder: '督办升级',
};

export const STAGE: Record<string, string> = {
  submitted: '待审核',
  returned: '退回修改',
  merged: '已合并',
  assigned: '办理中',
  objected: '退回错交',
  overdue: '已超期',
  awaitingRating: '待测评',
  secondReply: '二次办理',
  escalated: '督办升级',
  lookBack: '回头看',
  closed: '已办结',
};

export const UNIT: Record<string, string> = {
  'government-office': '市政府办公室',
  'edu-bureau': '市教育局',
  'transport-bureau': '市交通运输局',
  'eco-env-bureau': '市生态环境局',
  'health-commission': '市卫生健康委员会',
  'intermediate-court': '市中级人民法院',
};

export const EVENT: Record<string, string> = {
  suggestionSubmitted: '代表提交建议',
  suggestionAssigned: '审核交办',
  suggestionReturned: '退回修改',
  suggestionRevised: '代表修改建议',
  suggestionMerged: '合并办理',
  suggestionObjected: '承办单位退回错交',
  coHandlerOpinionSent: '协办单位提出协办意见',
  coHandlerOverdue: '协办意见超期',
  replyReminderSent: '答复提醒',
  extensionRequested: '申请延期',
  extensionDecided: '延期审批',
  clockPaused: '暂停计时',
  clockResumed: '恢复计时',
  suggestionReplied: '承办单位答复',
  suggestionOverdue: '答复超期',
  suggestionRated: '代表满意度测评',
  specialSupervisionStarted: '启动专项督办',
  commitmentDue: '承诺事项到期',
  commitmentReported: '承诺落实报告',
  commitmentMissed: '承诺未落实',
  suggestionEscalated: '督办升级',
  suggestionScored: '办理评分',
  suggestionClosed: '办结',
};

export const eventLabel = (type: string) => {
  const last = type.split('.').pop() ?? type;
  const key = last.charAt(0).toLowerCase() + last.slice(1);
  return EVENT[key] ?? last;
};

/** Field names in the action schemas → labels. */
export const FIELD: Record<string, string> = {
  decision: '审核结果',
  leadUnit: '主办单位',
  coHandlers: '协办单位',
  key: '重点建议',
  leadingOfficial: '领衔督办领导',
  supervisingCommittee: '督办专委会',
  reason: '理由',
  mergeInto: '并入案件',
  title: '标题',
  content: '内容',
  category: '类别',
  opinion: '意见',
  until: '延期至',
  approve: '同意',
  note: '说明',
  grade: '答复类别',
  summary: '答复内容',
  commitments: '承诺事项',
  description: '承诺内容',
  dueDate: '完成日期',
  rating: '满意度',
  comment: '意见',
  kept: '已落实',
};

export const ENUM: Record<string, string> = {
  accept: '同意并交办',
  return: '退回修改',
  merge: '合并办理',
  A: 'A 类：已解决或采纳',
  B: 'B 类：正在解决或列入计划',
  C: 'C 类：因条件限制留作参考',
  D: 'D 类：不予采纳并说明',
  satisfied: '满意',
  basicallySatisfied: '基本满意',
  unsatisfied: '不满意',
};

export const CATEGORY: Record<string, string> = {
  education: '教育',
  transport: '交通',
  environment: '生态环境',
  health: '卫生健康',
  justice: '司法',
  other: '其他',
};

export const RATING: Record<string, string> = {
  satisfied: '满意',
  basicallySatisfied: '基本满意',
  unsatisfied: '不满意',
};
