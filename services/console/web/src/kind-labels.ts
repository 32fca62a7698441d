// Labels of the other kinds' form fields where the shared name means something else there
// (presentation only; the fields and their rules come from the routes' schemas).
export const KIND_FORM_LABELS: Record<string, string> = {
  'items.description': '条目内容',
  'items.dueAt': '整改期限',
  'resolution.title': '决议标题',
  'resolution.items.description': '条目内容',
  'related.caseId': '审议意见编号',
  'related.unit': '承办单位',
  summary: '报告内容',
  title: '标题',
  content: '内容',
};

/** An action's own labels: a reply is a reply, not a report. */
export function actionLabels(action: string): Record<string, string> {
  if (action === 'reply') return { ...KIND_FORM_LABELS, summary: '答复内容' };
  if (action === 'report') return { ...KIND_FORM_LABELS, summary: '调查报告' };
  return KIND_FORM_LABELS;
}
