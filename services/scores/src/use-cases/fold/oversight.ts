// Review opinions (审议意见) and resolutions (决议), one case per unit part; inquiries (质询) and
// investigations (特定问题调查). docs/domain.md §3, §6 and §7. Everything counts against the
// unit the event names, else the case's unit, in the period of the event:
// - a part: reviewReports and reviewReportsOnTime (each handling report, the re-report
//   included), reviewOverdue (a report or an item past its date), reviewAccepted / reviewPoor
//   (staff's assessment), reviewVotesPassed / reviewVotesFailed (the members' vote),
//   reviewReReports (a re-report required), and its ladder's steps;
// - an inquiry: inquiries (filed about the unit), inquiryReplies and inquiryRepliesOnTime,
//   inquiryOverdue, inquiryRepliesAgain (more than half of the filers dissatisfied);
// - an investigation: investigations, once adopted, for the unit its proposal names. Its own
//   report is the committee's, not the unit's: InvestigationOverdue counts for nobody.
import { fieldsOf, foldLadder, str, yes, type KindFold } from './sink';

export const foldReviewOpinion: KindFold = (sorted, sink) => {
  let unit: string | undefined;
  const ladders = new Map<string, string>();
  for (const e of sorted) {
    const b = fieldsOf(e);
    const u = str(b.unit) ?? unit;
    switch (e.type) {
      case 'ReviewOpinionOpened': {
        const units = Array.isArray(b.units) ? b.units.filter((x): x is string => !!str(x)) : [];
        unit = units[0] ?? unit;
        break;
      }
      case 'HandlingReportSubmitted':
        sink.add('unit', u, e.occurredAt, 'reviewReports');
        if (yes(b.onTime)) sink.add('unit', u, e.occurredAt, 'reviewReportsOnTime');
        break;
      case 'HandlingReportOverdue':
      case 'OversightItemOverdue':
        sink.add('unit', u, e.occurredAt, 'reviewOverdue');
        break;
      case 'HandlingReportAssessed': {
        const verdict = str(b.verdict);
        if (verdict === 'poor') sink.add('unit', u, e.occurredAt, 'reviewPoor');
        else if (verdict === 'accepted') sink.add('unit', u, e.occurredAt, 'reviewAccepted');
        break;
      }
      case 'SatisfactionVoteClosed':
        sink.add('unit', u, e.occurredAt, yes(b.passed) ? 'reviewVotesPassed' : 'reviewVotesFailed');
        break;
      case 'ReReportRequired':
        sink.add('unit', u, e.occurredAt, 'reviewReReports');
        break;
      default:
        foldLadder(e, sink, ladders, unit);
        break;
    }
  }
  return { unit };
};

export const foldInquiry: KindFold = (sorted, sink) => {
  let unit: string | undefined;
  let filed = false;
  for (const e of sorted) {
    const b = fieldsOf(e);
    const u = str(b.unit) ?? unit;
    switch (e.type) {
      case 'InquiryFiled':
        unit = u;
        if (!filed) sink.add('unit', unit, e.occurredAt, 'inquiries');
        filed = true;
        break;
      case 'InquiryReplied':
        sink.add('unit', u, e.occurredAt, 'inquiryReplies');
        if (yes(b.onTime)) sink.add('unit', u, e.occurredAt, 'inquiryRepliesOnTime');
        break;
      case 'InquiryOverdue':
        sink.add('unit', u, e.occurredAt, 'inquiryOverdue');
        break;
      case 'InquiryRatingClosed':
        if (yes(b.replyAgain)) sink.add('unit', unit, e.occurredAt, 'inquiryRepliesAgain');
        break;
      default:
        break;
    }
  }
  return { unit };
};

export const foldInvestigation: KindFold = (sorted, sink) => {
  let unit: string | undefined;
  let adopted = false;
  for (const e of sorted) {
    const b = fieldsOf(e);
    if (e.type === 'InvestigationProposed') unit = str(b.unit) ?? unit;
    else if (e.type === 'InvestigationDecided' && yes(b.adopted) && !adopted) {
      adopted = true;
      sink.add('unit', unit, e.occurredAt, 'investigations');
    }
  }
  return { unit };
};
