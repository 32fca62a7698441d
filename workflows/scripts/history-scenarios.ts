// The scenarios recorded for replay tests (see record-histories.ts), for the workflow code as
// it is now. Each drives one case to its end; together they take every branch of the loop.
import type { WorkflowHandle } from '@temporalio/client';
import {
  coHandlerOpinionUpdate,
  decideExtensionUpdate,
  objectUpdate,
  pauseClockUpdate,
  rateUpdate,
  reassignUpdate,
  replyUpdate,
  reportCommitmentUpdate,
  requestExtensionUpdate,
  resolveLadderUpdate,
  resumeClockUpdate,
  reviewUpdate,
  reviseUpdate,
  type suggestionWorkflow,
} from '../src';
import { deputy, staff, unit, until, type Harness } from '../test/support/case-driver';
import { replyWithCommitments } from '../test/scenarios/suggestion';

type Case = WorkflowHandle<typeof suggestionWorkflow>;
const edu = unit('edu-bureau');
const transport = unit('transport-bureau');

export const scenarios: Record<string, (h: Harness, wf: Case) => Promise<void>> = {
  'returned-revised-accepted-satisfied': async (h, wf) => {
    await until(h.env, wf, 'submitted', '1 second');
    await wf.executeUpdate(reviewUpdate, { args: [{ by: staff, decision: 'return', reason: '请补充材料。' }] });
    await wf.executeUpdate(reviseUpdate, { args: [{ by: deputy, title: '修改后的建议', category: 'education' }] });
    await wf.executeUpdate(reviewUpdate, {
      args: [
        {
          by: staff,
          decision: 'accept',
          coHandlers: ['transport-bureau'],
          key: { leadingOfficial: '副市长', supervisingCommittee: '教科文卫工委' },
        },
      ],
    });
    await wf.executeUpdate(coHandlerOpinionUpdate, { args: [{ by: transport, opinion: '同意。' }] });
    await h.env.sleep('20 days');
    await wf.executeUpdate(replyUpdate, { args: [{ by: edu, grade: 'A', summary: '已解决。' }] });
    await wf.executeUpdate(rateUpdate, { args: [{ by: deputy, rating: 'satisfied' }] });
    await wf.result();
  },
  'objection-reassigned-extension-paused': async (h, wf) => {
    await until(h.env, wf, 'submitted', '1 second');
    await wf.executeUpdate(reviewUpdate, { args: [{ by: staff, decision: 'accept' }] });
    await wf.executeUpdate(objectUpdate, { args: [{ by: edu, reason: '不属本单位职责。' }] });
    const s = await wf.executeUpdate(reassignUpdate, { args: [{ by: staff, leadUnit: 'transport-bureau' }] });
    const later = new Date(Date.parse(s.replyDueAt!) + 30 * 86400000).toISOString();
    await wf.executeUpdate(requestExtensionUpdate, { args: [{ by: transport, reason: '需勘察。', until: later }] });
    await wf.executeUpdate(decideExtensionUpdate, { args: [{ by: staff, approve: true, note: '同意。' }] });
    await wf.executeUpdate(pauseClockUpdate, { args: [{ by: transport, reason: '等待代表补充。' }] });
    await h.env.sleep('5 days');
    await wf.executeUpdate(resumeClockUpdate, { args: [{ by: transport }] });
    await h.env.sleep('150 days');
    await wf.executeUpdate(replyUpdate, { args: [{ by: transport, grade: 'D', summary: '作说明。' }] });
    await h.env.sleep('40 days');
    await wf.result();
  },
  'unsatisfied-twice-ladder-resolved': async (h, wf) => {
    await until(h.env, wf, 'submitted', '1 second');
    await wf.executeUpdate(reviewUpdate, { args: [{ by: staff, decision: 'accept' }] });
    await wf.executeUpdate(replyUpdate, { args: [{ by: edu, grade: 'D', summary: '暂无条件。' }] });
    await wf.executeUpdate(rateUpdate, { args: [{ by: deputy, rating: 'unsatisfied' }] });
    await until(h.env, wf, 'secondReply', '1 second');
    await wf.executeUpdate(replyUpdate, { args: [{ by: edu, grade: 'D', summary: '仍无条件。' }] });
    await wf.executeUpdate(rateUpdate, { args: [{ by: deputy, rating: 'unsatisfied' }] });
    const s = await until(h.env, wf, 'escalated', '1 second');
    await h.env.sleep('30 days');
    await h.env.client.workflow
      .getHandle(s.ladders[0].ladderId)
      .executeUpdate(resolveLadderUpdate, { args: [{ by: staff, note: '已整改。' }] });
    await wf.result();
  },
  'commitments-kept-and-missed': async (h, wf) => {
    await until(h.env, wf, 'submitted', '1 second');
    await wf.executeUpdate(reviewUpdate, { args: [{ by: staff, decision: 'accept' }] });
    await replyWithCommitments(wf, edu, await h.env.currentTimeMs());
    await wf.executeUpdate(rateUpdate, { args: [{ by: deputy, rating: 'basicallySatisfied' }] });
    await h.env.sleep('31 days');
    await wf.executeUpdate(reportCommitmentUpdate, {
      args: [{ by: edu, commitmentId: '1-1', kept: true, note: '已完成。' }],
    });
    await h.env.sleep('400 days');
    await wf.result();
  },
  merged: async (h, wf) => {
    await until(h.env, wf, 'submitted', '1 second');
    await wf.executeUpdate(reviewUpdate, {
      args: [{ by: staff, decision: 'merge', mergeInto: 'suggestion-2026-0001', reason: '重复。' }],
    });
    await wf.result();
  },
};
