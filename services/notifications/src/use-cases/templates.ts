// Every message the service sends, as data: a subject and a text per language, with
// placeholders {{field}}, {{field|date}} (a deadline, in the configured language) and
// {{field|label}} (a value from LABELS, e.g. a rating or a grade). {{recipientName}} is the
// recipient's name from the registry. A placeholder without a value fails the render, and
// the message is parked with the reason instead of going out half-filled.
export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Template {
  subject: string;
  text: string;
}

const FOOTER_ZH = '\n\n——\n本邮件由人大代表建议督办系统自动发送，请勿直接回复。案件编号：{{caseId}}';
const FOOTER_EN =
  '\n\n--\nSent automatically by the deputies’ suggestion supervision system; please do not reply. Case: {{caseId}}';

export const TEMPLATES = {
  // ---- to the deputy
  assignedDeputy: {
    zh: {
      subject: '【已交办】您的建议《{{title}}》已交办',
      text: '{{recipientName}}：\n\n您提出的建议《{{title}}》已交办，主办单位：{{leadUnit}}，答复期限：{{replyDueAt|date}}。办理情况将及时告知您。',
    },
    en: {
      subject: '[Assigned] Your suggestion "{{title}}" has been assigned',
      text: 'Dear {{recipientName}},\n\nYour suggestion "{{title}}" has been assigned to {{leadUnit}} (lead unit). The reply is due by {{replyDueAt|date}}.',
    },
  },
  returnedDeputy: {
    zh: {
      subject: '【退回修改】建议《{{title}}》需修改后重新提交',
      text: '{{recipientName}}：\n\n您提出的建议《{{title}}》经审核退回修改，原因：{{reason}}。请修改后重新提交。',
    },
    en: {
      subject: '[Returned] Please revise your suggestion "{{title}}"',
      text: 'Dear {{recipientName}},\n\nYour suggestion "{{title}}" was returned for revision: {{reason}}. Please revise and submit it again.',
    },
  },
  mergedDeputy: {
    zh: {
      subject: '【合并办理】建议《{{title}}》已并入 {{intoCaseId}} 办理',
      text: '{{recipientName}}：\n\n您提出的建议《{{title}}》已与相同内容的建议合并办理（并入 {{intoCaseId}}），原因：{{reason}}。',
    },
    en: {
      subject: '[Merged] Your suggestion "{{title}}" is handled with {{intoCaseId}}',
      text: 'Dear {{recipientName}},\n\nYour suggestion "{{title}}" was merged into {{intoCaseId}}: {{reason}}.',
    },
  },
  repliedDeputy: {
    zh: {
      subject: '【已答复，请评价】建议《{{title}}》已答复',
      text: '{{recipientName}}：\n\n承办单位 {{unit}} 已对您的建议《{{title}}》作出{{round|label}}，办理结果：{{grade|label}}。请登录系统进行满意度评价（满意、基本满意、不满意）。',
    },
    en: {
      subject: '[Replied, please rate] Your suggestion "{{title}}" has a reply',
      text: 'Dear {{recipientName}},\n\n{{unit}} has sent its {{round|label}} to your suggestion "{{title}}" (outcome: {{grade|label}}). Please rate it: satisfied, basically satisfied or unsatisfied.',
    },
  },
  extensionDecidedDeputy: {
    zh: {
      subject: '【延期{{approved|label}}】建议《{{title}}》的延期申请',
      text: '{{recipientName}}：\n\n承办单位关于建议《{{title}}》的延期答复申请{{approved|label}}。当前答复期限：{{replyDueAt|date}}。说明：{{note}}',
    },
    en: {
      subject: '[Extension {{approved|label}}] Suggestion "{{title}}"',
      text: 'Dear {{recipientName}},\n\nThe lead unit’s request to extend the reply to your suggestion "{{title}}" was {{approved|label}}. The reply is now due by {{replyDueAt|date}}. Note: {{note}}',
    },
  },
  scoredDeputy: {
    zh: {
      subject: '【办理评价】建议《{{title}}》办理得分 {{total}} 分',
      text: '{{recipientName}}：\n\n您的建议《{{title}}》的办理评价已完成：承办单位 {{unit}} 得分 {{total}} 分（答复阶段 {{replyStage}} 分，落实阶段 {{implementationStage}} 分）。',
    },
    en: {
      subject: '[Scored] Suggestion "{{title}}": {{total}} points',
      text: 'Dear {{recipientName}},\n\nThe handling of your suggestion "{{title}}" by {{unit}} scored {{total}} points (reply {{replyStage}}, implementation {{implementationStage}}).',
    },
  },
  closedDeputy: {
    zh: {
      subject: '【办结】建议《{{title}}》已办结',
      text: '{{recipientName}}：\n\n您的建议《{{title}}》已办结（{{outcome|label}}）。感谢您对工作的支持。',
    },
    en: {
      subject: '[Closed] Suggestion "{{title}}" is closed',
      text: 'Dear {{recipientName}},\n\nYour suggestion "{{title}}" is closed ({{outcome|label}}). Thank you.',
    },
  },

  // ---- to the lead unit
  assignedLead: {
    zh: {
      subject: '【交办通知】建议《{{title}}》请贵单位主办',
      text: '{{recipientName}}：\n\n现将代表建议《{{title}}》交由贵单位主办，协办单位：{{coHandlers}}。请于 {{replyDueAt|date}} 前答复代表；如属错交，请于 {{objectionDueAt|date}} 前提出退回。',
    },
    en: {
      subject: '[Assignment] Suggestion "{{title}}" is assigned to you as lead unit',
      text: 'Dear {{recipientName}},\n\nThe deputy’s suggestion "{{title}}" is assigned to you as lead unit (co-handlers: {{coHandlers}}). Reply to the deputy by {{replyDueAt|date}}; if it was wrongly assigned, object by {{objectionDueAt|date}}.',
    },
  },
  deadlineRecomputedLead: {
    zh: {
      subject: '【期限调整】建议《{{title}}》答复期限调整为 {{newDueAt|date}}',
      text: '{{recipientName}}：\n\n{{calendarYear}} 年法定节假日安排已公布，贵单位主办的建议《{{title}}》答复期限按新工作日历重新计算，由 {{oldDueAt|date}} 调整为 {{newDueAt|date}}。',
    },
    en: {
      subject: '[Deadline moved] The reply to suggestion "{{title}}" is now due by {{newDueAt|date}}',
      text: 'Dear {{recipientName}},\n\nThe official {{calendarYear}} holiday schedule has been published. The reply to the suggestion "{{title}}" you lead was counted again on it: it is now due by {{newDueAt|date}} (was {{oldDueAt|date}}).',
    },
  },
  reminderLead: {
    zh: {
      subject: '【到期提醒】建议《{{title}}》答复期限将至',
      text: '{{recipientName}}：\n\n贵单位主办的建议《{{title}}》答复期限为 {{dueAt|date}}（第 {{reminderNo}} 次提醒），请抓紧办理并按时答复代表。',
    },
    en: {
      subject: '[Reminder] The reply to suggestion "{{title}}" is due soon',
      text: 'Dear {{recipientName}},\n\nThe reply to the suggestion "{{title}}" you lead is due by {{dueAt|date}} (reminder {{reminderNo}}). Please reply to the deputy on time.',
    },
  },
  overdueLead: {
    zh: {
      subject: '【催办】建议《{{title}}》已超过答复期限',
      text: '{{recipientName}}：\n\n贵单位主办的建议《{{title}}》答复期限 {{dueAt|date}} 已过，尚未答复。请即办理并答复代表。',
    },
    en: {
      subject: '[Overdue] The reply to suggestion "{{title}}" is overdue',
      text: 'Dear {{recipientName}},\n\nThe reply to the suggestion "{{title}}" you lead was due by {{dueAt|date}} and has not been sent. Please reply to the deputy now.',
    },
  },
  veryOverdueLead: {
    zh: {
      subject: '【严重逾期·催办】建议《{{title}}》严重超期未答复',
      text: '{{recipientName}}：\n\n贵单位主办的建议《{{title}}》答复期限 {{dueAt|date}} 已严重超期，已报人大常委会相关工作委员会督办。请立即答复代表。',
    },
    en: {
      subject: '[Very overdue] Suggestion "{{title}}" is seriously overdue',
      text: 'Dear {{recipientName}},\n\nThe reply to the suggestion "{{title}}" you lead was due by {{dueAt|date}} and is seriously overdue; the supervising committee has been told. Please reply to the deputy at once.',
    },
  },
  extensionDecidedLead: {
    zh: {
      subject: '【延期{{approved|label}}】建议《{{title}}》的延期申请',
      text: '{{recipientName}}：\n\n贵单位关于建议《{{title}}》的延期答复申请{{approved|label}}。答复期限：{{replyDueAt|date}}。说明：{{note}}',
    },
    en: {
      subject: '[Extension {{approved|label}}] Suggestion "{{title}}"',
      text: 'Dear {{recipientName}},\n\nYour request to extend the reply to suggestion "{{title}}" was {{approved|label}}. The reply is due by {{replyDueAt|date}}. Note: {{note}}',
    },
  },
  specialSupervisionLead: {
    zh: {
      subject: '【专项督办】建议《{{title}}》代表不满意，请二次答复',
      text: '{{recipientName}}：\n\n代表对建议《{{title}}》的答复不满意，现列入专项督办。请重新研究办理，并于 {{secondReplyDueAt|date}} 前作出二次答复。',
    },
    en: {
      subject: '[Special supervision] Suggestion "{{title}}": second reply required',
      text: 'Dear {{recipientName}},\n\nThe deputy was not satisfied with the reply to suggestion "{{title}}"; it is now under special supervision. Send a second reply by {{secondReplyDueAt|date}}.',
    },
  },
  commitmentDueLead: {
    zh: {
      subject: '【回头看】建议《{{title}}》承诺事项到期',
      text: '{{recipientName}}：\n\n贵单位在建议《{{title}}》答复中承诺的事项（{{commitmentId}}）已到期，请于 {{reportDueAt|date}} 前报告落实情况。',
    },
    en: {
      subject: '[Look-back] A commitment on suggestion "{{title}}" is due',
      text: 'Dear {{recipientName}},\n\nA commitment you made in your reply to suggestion "{{title}}" ({{commitmentId}}) is due. Report whether it was kept by {{reportDueAt|date}}.',
    },
  },
  ladderStepLead: {
    zh: {
      subject: '【督办升级】建议《{{title}}》进入“{{step|label}}”',
      text: '{{recipientName}}：\n\n建议《{{title}}》督办升级至第 {{stepNo}} 步：{{step|label}}（负责：{{owner}}），期限 {{dueAt|date}}。请于期限前落实整改。',
    },
    en: {
      subject: '[Escalation] Suggestion "{{title}}": {{step|label}}',
      text: 'Dear {{recipientName}},\n\nThe supervision of suggestion "{{title}}" escalated to step {{stepNo}}: {{step|label}} (owner: {{owner}}), due by {{dueAt|date}}.',
    },
  },

  // ---- to a co-handler
  assignedCoHandler: {
    zh: {
      subject: '【交办通知·协办】建议《{{title}}》请贵单位协办',
      text: '{{recipientName}}：\n\n代表建议《{{title}}》由 {{leadUnit}} 主办，请贵单位协办，并于 {{coHandlerDueAt|date}} 前向主办单位提出协办意见。',
    },
    en: {
      subject: '[Assignment] Please co-handle suggestion "{{title}}"',
      text: 'Dear {{recipientName}},\n\nThe suggestion "{{title}}" is led by {{leadUnit}}; you are a co-handler. Send your opinion to the lead unit by {{coHandlerDueAt|date}}.',
    },
  },
  coHandlerOverdue: {
    zh: {
      subject: '【催办·协办】建议《{{title}}》协办意见逾期',
      text: '{{recipientName}}：\n\n贵单位协办的建议《{{title}}》协办意见期限 {{dueAt|date}} 已过，请尽快向主办单位提出协办意见。',
    },
    en: {
      subject: '[Overdue] Your co-handler opinion on suggestion "{{title}}"',
      text: 'Dear {{recipientName}},\n\nYour co-handler opinion on suggestion "{{title}}" was due by {{dueAt|date}}. Please send it to the lead unit now.',
    },
  },

  // ---- to the supervising committee's staff
  objectedStaff: {
    zh: {
      subject: '【退回错交】{{unit}} 对建议《{{title}}》提出退回',
      text: '{{unit}} 认为建议《{{title}}》交办有误，申请退回，理由：{{reason}}。请审核并重新交办。',
    },
    en: {
      subject: '[Objection] {{unit}} objects to the assignment of "{{title}}"',
      text: '{{unit}} objects to being assigned the suggestion "{{title}}": {{reason}}. Please review and reassign.',
    },
  },
  extensionRequestedStaff: {
    zh: {
      subject: '【延期申请】{{unit}} 申请延期答复建议《{{title}}》',
      text: '{{unit}} 申请将建议《{{title}}》的答复期限延至 {{requestedDueAt|date}}，理由：{{reason}}。请审批。',
    },
    en: {
      subject: '[Extension request] {{unit}} asks more time for "{{title}}"',
      text: '{{unit}} asks to extend the reply to suggestion "{{title}}" to {{requestedDueAt|date}}: {{reason}}. Please decide.',
    },
  },
  veryOverdueStaff: {
    zh: {
      subject: '【严重逾期】建议《{{title}}》{{unit}} 严重超期未答复',
      text: '建议《{{title}}》的主办单位 {{unit}} 答复期限 {{dueAt|date}} 已严重超期，请予督办。',
    },
    en: {
      subject: '[Very overdue] "{{title}}": {{unit}} has not replied',
      text: 'The lead unit {{unit}} of suggestion "{{title}}" was due to reply by {{dueAt|date}} and is seriously overdue. Please supervise.',
    },
  },
  escalatedStaff: {
    zh: {
      subject: '【督办升级】建议《{{title}}》启动督办升级',
      text: '建议《{{title}}》未能办结，已启动督办升级（{{ladderId}}），原因：{{reason}}。',
    },
    en: {
      subject: '[Escalated] Suggestion "{{title}}" climbs the escalation ladder',
      text: 'The suggestion "{{title}}" failed its loop and climbs the escalation ladder ({{ladderId}}): {{reason}}.',
    },
  },
  ladderStepStaff: {
    zh: {
      subject: '【督办升级】建议《{{title}}》第 {{stepNo}} 步：{{step|label}}',
      text: '建议《{{title}}》督办升级至第 {{stepNo}} 步：{{step|label}}（负责：{{owner}}），期限 {{dueAt|date}}。',
    },
    en: {
      subject: '[Escalation] "{{title}}" step {{stepNo}}: {{step|label}}',
      text: 'The supervision of suggestion "{{title}}" is at step {{stepNo}}: {{step|label}} (owner: {{owner}}), due by {{dueAt|date}}.',
    },
  },
  ladderStepTimedOutStaff: {
    zh: {
      subject: '【督办升级】建议《{{title}}》“{{step|label}}”到期未解决',
      text: '建议《{{title}}》督办升级第 {{stepNo}} 步“{{step|label}}”已到期仍未解决，将进入下一步。',
    },
    en: {
      subject: '[Escalation] "{{title}}": {{step|label}} timed out',
      text: 'Step {{stepNo}} ({{step|label}}) of the escalation of suggestion "{{title}}" timed out unresolved; the next step follows.',
    },
  },
  ladderResolvedStaff: {
    zh: {
      subject: '【督办升级结束】建议《{{title}}》已在“{{step|label}}”解决',
      text: '建议《{{title}}》在督办升级“{{step|label}}”阶段已解决。说明：{{note}}',
    },
    en: {
      subject: '[Escalation resolved] "{{title}}" at {{step|label}}',
      text: 'The escalation of suggestion "{{title}}" was resolved at {{step|label}}. Note: {{note}}',
    },
  },
  ladderExhaustedStaff: {
    zh: {
      subject: '【督办升级用尽】建议《{{title}}》至“{{lastStep|label}}”仍未解决',
      text: '建议《{{title}}》督办升级各步均已到期，至“{{lastStep|label}}”仍未解决，请研究处理。',
    },
    en: {
      subject: '[Escalation exhausted] "{{title}}" unresolved after {{lastStep|label}}',
      text: 'Every escalation step of suggestion "{{title}}" timed out; it is still unresolved after {{lastStep|label}}.',
    },
  },
  commitmentMissedStaff: {
    zh: {
      subject: '【承诺未落实】建议《{{title}}》承诺事项未落实',
      text: '{{unit}} 在建议《{{title}}》答复中承诺的事项（{{commitmentId}}）未按期落实，督办重新启动。',
    },
    en: {
      subject: '[Commitment missed] Suggestion "{{title}}"',
      text: '{{unit}} did not keep a commitment ({{commitmentId}}) made in its reply to suggestion "{{title}}"; supervision reopens.',
    },
  },
  // ---- citizens' opinions and liaison letters (ids only in events: no citizen is mailed here)
  opinionArrivedDeputy: {
    zh: {
      subject: '【民情快递】联络站 {{stationId}} 收到群众意见 {{caseId}}',
      text: '{{recipientName}}：\n\n您值班的联络站 {{stationId}} 收到一条群众意见（{{caseId}}），请于 {{dueAt|date}} 前答复、转为代表建议或发出代表联系函。',
    },
    en: {
      subject: '[Citizen opinion] Station {{stationId}} received {{caseId}}',
      text: 'Dear {{recipientName}},\n\nStation {{stationId}}, where you are on duty, received a citizen opinion ({{caseId}}). Please answer it, take it up as a suggestion or send a liaison letter by {{dueAt|date}}.',
    },
  },
  opinionOverdueStaff: {
    zh: {
      subject: '【民情逾期】联络站 {{stationId}} 的群众意见 {{caseId}} 未按期处理',
      text: '联络站 {{stationId}} 的群众意见 {{caseId}} 在 {{dueAt|date}} 前无值班代表处理，请督促。',
    },
    en: {
      subject: '[Opinion overdue] {{caseId}} at station {{stationId}}',
      text: 'No deputy on duty acted on citizen opinion {{caseId}} at station {{stationId}} by {{dueAt|date}}. Please follow up.',
    },
  },
  letterSentUnit: {
    zh: {
      subject: '【代表联系函】{{caseId}} 请于 {{dueAt|date}} 前办理回复',
      text: '{{recipientName}}：\n\n人大代表就群众反映的问题向贵单位发出代表联系函（{{caseId}}），请于 {{dueAt|date}} 前办理并回复。',
    },
    en: {
      subject: '[Liaison letter] {{caseId}}: reply by {{dueAt|date}}',
      text: 'Dear {{recipientName}},\n\nA deputy sent your department a liaison letter ({{caseId}}) about a citizen opinion. Please reply by {{dueAt|date}}.',
    },
  },
  letterReminderUnit: {
    zh: {
      subject: '【到期提醒】代表联系函 {{caseId}} 回复期限将至',
      text: '{{recipientName}}：\n\n代表联系函 {{caseId}} 的回复期限为 {{dueAt|date}}（第 {{reminderNo}} 次提醒），请抓紧办理。',
    },
    en: {
      subject: '[Reminder] Liaison letter {{caseId}} is due soon',
      text: 'Dear {{recipientName}},\n\nThe reply to liaison letter {{caseId}} is due by {{dueAt|date}} (reminder {{reminderNo}}).',
    },
  },
  letterOverdueUnit: {
    zh: {
      subject: '【催办】代表联系函 {{caseId}} 已逾期未回复',
      text: '{{recipientName}}：\n\n代表联系函 {{caseId}} 已超过回复期限 {{dueAt|date}}，现进入督办升级程序，请立即办理回复。',
    },
    en: {
      subject: '[Overdue] Liaison letter {{caseId}} is unanswered',
      text: 'Dear {{recipientName}},\n\nLiaison letter {{caseId}} passed its deadline {{dueAt|date}} unanswered and now climbs the escalation ladder. Please reply at once.',
    },
  },
  letterOverdueStaff: {
    zh: {
      subject: '【逾期】代表联系函 {{caseId}}（{{unit}}）未按期回复，已启动督办升级',
      text: '{{unit}} 未在 {{dueAt|date}} 前回复代表联系函 {{caseId}}，已启动督办升级。',
    },
    en: {
      subject: '[Overdue] Liaison letter {{caseId}} ({{unit}}) unanswered: escalation started',
      text: '{{unit}} did not reply to liaison letter {{caseId}} by {{dueAt|date}}; the escalation ladder started.',
    },
  },
  letterRepliedDeputy: {
    zh: {
      subject: '【已回复】代表联系函 {{caseId}} 已回复，请评价',
      text: '{{recipientName}}：\n\n{{unit}} 已回复您发出的代表联系函 {{caseId}}，请于 {{dueAt|date}} 前进行满意度评价。',
    },
    en: {
      subject: '[Replied] Liaison letter {{caseId}}: please rate the reply',
      text: 'Dear {{recipientName}},\n\n{{unit}} replied to your liaison letter {{caseId}}. Please rate the reply by {{dueAt|date}}.',
    },
  },

  // ---- calendar-driven duties
  regulationReportRequestedUnit: {
    zh: {
      subject: '【法规实施情况报告】请于 {{dueAt|date}} 前报送 {{caseId}}',
      text: '{{recipientName}}：\n\n地方性法规施行已满规定期限，请于 {{dueAt|date}} 前书面报告实施情况（{{caseId}}）。',
    },
    en: {
      subject: '[Regulation report] {{caseId}} due by {{dueAt|date}}',
      text: 'Dear {{recipientName}},\n\nThe local regulation has been in force for the set period. Please report in writing on its implementation ({{caseId}}) by {{dueAt|date}}.',
    },
  },
  regulationReportOverdueStaff: {
    zh: {
      subject: '【逾期】{{unit}} 未按期报送法规实施情况报告 {{caseId}}',
      text: '{{unit}} 未在 {{dueAt|date}} 前报送法规实施情况报告（{{caseId}}），请督促。',
    },
    en: {
      subject: '[Overdue] {{unit}} has not filed regulation report {{caseId}}',
      text: '{{unit}} did not file the implementation report {{caseId}} by {{dueAt|date}}. Please follow up.',
    },
  },
  appointeeReportMissingStaff: {
    zh: {
      subject: '【履职报告】{{caseId}}（{{unit}}）本届任期内尚未报告',
      text: '{{unit}} 的任命人员在本届任期内尚未作履职报告（{{caseId}}），任期于 {{dueAt|date}} 届满，请安排。',
    },
    en: {
      subject: '[Performance report] {{caseId}} ({{unit}}) not yet reported this term',
      text: 'The appointed head of {{unit}} has not reported this term ({{caseId}}); the term ends {{dueAt|date}}. Please schedule it.',
    },
  },
  groupDutyMissingStaff: {
    zh: {
      subject: '【专业小组】{{caseId}} 年度履职尚缺：{{missing}}',
      text: '代表专业小组年度履职（{{caseId}}）尚缺：{{missing}}，年底前请督促完成。',
    },
    en: {
      subject: '[Professional group] {{caseId}} still missing: {{missing}}',
      text: "The deputies' professional group's year ({{caseId}}) still lacks: {{missing}}. Please see it done before the year ends.",
    },
  },
  // ---- livelihood projects decided by the deputies' vote (民生实事项目票决制)
  candidateAcceptedProposer: {
    zh: {
      subject: '【民生实事】您提出的候选项目 {{candidateId}} 已通过初审',
      text: '{{recipientName}}：\n\n您提出的民生实事候选项目 {{candidateId}}（{{caseId}}）已通过初审，将进入可行性论证。',
    },
    en: {
      subject: '[Livelihood] Your candidate project {{candidateId}} passed screening',
      text: 'Dear {{recipientName}},\n\nThe livelihood candidate project {{candidateId}} you proposed ({{caseId}}) passed screening and goes to the feasibility review.',
    },
  },
  candidateRejectedProposer: {
    zh: {
      subject: '【民生实事】您提出的候选项目 {{candidateId}} 未通过初审',
      text: '{{recipientName}}：\n\n您提出的民生实事候选项目 {{candidateId}}（{{caseId}}）未通过初审，理由：{{reason}}。',
    },
    en: {
      subject: '[Livelihood] Your candidate project {{candidateId}} was not accepted',
      text: 'Dear {{recipientName}},\n\nThe livelihood candidate project {{candidateId}} you proposed ({{caseId}}) was not accepted at screening. Reason: {{reason}}.',
    },
  },
  feasibilityRequestedUnit: {
    zh: {
      subject: '【民生实事】请于 {{dueAt|date}} 前完成候选项目可行性论证',
      text: '{{recipientName}}：\n\n{{caseId}} 的候选项目已通过初审，请于 {{dueAt|date}} 前完成可行性和投资估算论证，并提出实施单位。',
    },
    en: {
      subject: '[Livelihood] Feasibility review due by {{dueAt|date}}',
      text: 'Dear {{recipientName}},\n\nThe candidates of {{caseId}} passed screening: please review their feasibility and cost, and name the implementing departments, by {{dueAt|date}}.',
    },
  },
  projectStartedUnit: {
    zh: {
      subject: '【民生实事】项目 {{caseId}} 已票决通过，请组织实施',
      text: '{{recipientName}}：\n\n民生实事项目 {{caseId}} 经人大代表票决确定，由贵单位牵头实施，请按月报送进度；年度满意度测评于 {{dueAt|date}} 开始。',
    },
    en: {
      subject: '[Livelihood] Project {{caseId}} elected: please implement it',
      text: 'Dear {{recipientName}},\n\nLivelihood project {{caseId}} was elected by the deputies and your department leads it. Please report progress every month; the year-end evaluation opens on {{dueAt|date}}.',
    },
  },
  progressReminderUnit: {
    zh: {
      subject: '【到期提醒】民生实事项目 {{caseId}} 第 {{period}} 期进度报告',
      text: '{{recipientName}}：\n\n民生实事项目 {{caseId}} 第 {{period}} 期进度报告请于 {{dueAt|date}} 前报送。',
    },
    en: {
      subject: '[Reminder] Progress report {{period}} of livelihood project {{caseId}}',
      text: 'Dear {{recipientName}},\n\nProgress report {{period}} of livelihood project {{caseId}} is due by {{dueAt|date}}.',
    },
  },
  progressOverdueUnit: {
    zh: {
      subject: '【催报】民生实事项目 {{caseId}} 第 {{period}} 期进度报告已逾期',
      text: '{{recipientName}}：\n\n民生实事项目 {{caseId}} 第 {{period}} 期进度报告应于 {{dueAt|date}} 前报送，现已逾期，请立即报送。',
    },
    en: {
      subject: '[Overdue] Progress report {{period}} of livelihood project {{caseId}}',
      text: 'Dear {{recipientName}},\n\nProgress report {{period}} of livelihood project {{caseId}} was due by {{dueAt|date}} and is overdue: please send it now.',
    },
  },
  progressVeryOverdueStaff: {
    zh: {
      subject: '【严重逾期】{{unit}} 未报送民生实事项目 {{caseId}} 第 {{period}} 期进度',
      text: '{{recipientName}}：\n\n{{unit}} 未报送民生实事项目 {{caseId}} 第 {{period}} 期进度报告（应于 {{dueAt|date}} 前），项目已标记为风险。',
    },
    en: {
      subject: '[Very overdue] {{unit}}: progress report {{period}} of {{caseId}}',
      text: 'Dear {{recipientName}},\n\n{{unit}} has not sent progress report {{period}} of livelihood project {{caseId}} (due by {{dueAt|date}}); the project is marked at risk.',
    },
  },
  fixRequiredUnit: {
    zh: {
      subject: '【整改】民生实事项目 {{caseId}} 视察发现问题，请于 {{dueAt|date}} 前整改',
      text: '{{recipientName}}：\n\n人大代表视察民生实事项目 {{caseId}} 发现问题（{{findingId}}），请于 {{dueAt|date}} 前整改并报告。',
    },
    en: {
      subject: '[Fix required] Livelihood project {{caseId}}: fix by {{dueAt|date}}',
      text: 'Dear {{recipientName}},\n\nAn inspection of livelihood project {{caseId}} found a problem ({{findingId}}): please fix it and report by {{dueAt|date}}.',
    },
  },
  fixOverdueStaff: {
    zh: {
      subject: '【整改逾期】{{unit}} 未按期整改民生实事项目 {{caseId}}',
      text: '{{recipientName}}：\n\n{{unit}} 未在 {{dueAt|date}} 前报告民生实事项目 {{caseId}} 视察问题（{{findingId}}）的整改情况。',
    },
    en: {
      subject: '[Fix overdue] {{unit}}: livelihood project {{caseId}}',
      text: 'Dear {{recipientName}},\n\n{{unit}} did not report the fix of finding {{findingId}} of livelihood project {{caseId}} by {{dueAt|date}}.',
    },
  },
  midYearOverdueStaff: {
    zh: {
      subject: '【年中报告逾期】{{unit}} 未报送民生实事项目 {{caseId}} 年中报告',
      text: '{{recipientName}}：\n\n{{unit}} 未在 {{dueAt|date}} 前报送民生实事项目 {{caseId}} 的年中报告。',
    },
    en: {
      subject: '[Mid-year report overdue] {{unit}}: livelihood project {{caseId}}',
      text: 'Dear {{recipientName}},\n\n{{unit}} did not send the mid-year report of livelihood project {{caseId}} by {{dueAt|date}}.',
    },
  },
  reReportRequestedUnit: {
    zh: {
      subject: '【再报告】民生实事项目 {{caseId}} 满意度测评未通过',
      text: '{{recipientName}}：\n\n民生实事项目 {{caseId}} 年度满意度测评未达到要求，请于 {{dueAt|date}} 前向常委会再报告整改落实情况。',
    },
    en: {
      subject: '[Re-report] Livelihood project {{caseId}} was rated unsatisfactory',
      text: 'Dear {{recipientName}},\n\nLivelihood project {{caseId}} did not reach the satisfaction threshold: please re-report to the standing committee by {{dueAt|date}}.',
    },
  },
} as const satisfies Record<string, Record<Language, Template>>;

export type TemplateKey = keyof typeof TEMPLATES;

export const FOOTERS: Record<Language, string> = { zh: FOOTER_ZH, en: FOOTER_EN };

/** Words for {{field|label}}. */
export const LABELS: Record<Language, Record<string, string>> = {
  zh: {
    A: 'A类（已解决或基本解决）',
    B: 'B类（正在解决或列入计划解决）',
    C: 'C类（因条件限制留作参考）',
    D: 'D类（其他）',
    satisfied: '满意',
    basicallySatisfied: '基本满意',
    unsatisfied: '不满意',
    true: '已批准',
    false: '未批准',
    round1: '答复',
    round2: '二次答复',
    completed: '办理完毕',
    merged: '合并办理',
    escalationExhausted: '督办升级用尽',
    bulletin: '通报',
    publicBulletin: '通报',
    specialSupervision: '专项督办',
    specialReport: '专项报告',
    specialInquiry: '专题询问',
  },
  en: {
    A: 'A (solved or mostly solved)',
    B: 'B (being solved or planned)',
    C: 'C (kept for reference)',
    D: 'D (other)',
    satisfied: 'satisfied',
    basicallySatisfied: 'basically satisfied',
    unsatisfied: 'unsatisfied',
    true: 'approved',
    false: 'refused',
    round1: 'reply',
    round2: 'second reply',
    completed: 'completed',
    merged: 'merged',
    escalationExhausted: 'escalation exhausted',
    bulletin: 'public bulletin',
    publicBulletin: 'public bulletin',
    specialSupervision: 'special supervision',
    specialReport: 'special report',
    specialInquiry: 'special inquiry',
  },
};
