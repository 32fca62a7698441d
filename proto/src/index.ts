// The event contracts, generated from proto/defs by `npm run build:proto` (buf + protoc-gen-es).
export * from '../gen/duban/events/v1/envelope_pb';
export * from '../gen/duban/events/v1/suggestion_pb';
export * from '../gen/duban/events/v1/escalation_pb';
export * from '../gen/duban/events/v1/livelihood_pb';
export * from '../gen/duban/events/v1/oversight_pb';
export * from '../gen/duban/events/v1/citizen_pb';
export * from '../gen/duban/events/v1/duties_pb';
export { create, toBinary, fromBinary, toJson } from '@bufbuild/protobuf';
export { timestampFromDate, timestampDate } from '@bufbuild/protobuf/wkt';
