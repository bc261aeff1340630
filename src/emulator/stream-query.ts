import type { ParameterError } from './problems.js';

/** The two sampled-stream endpoints. */
export type StreamEndpoint = 'sample' | 'sample10';

/** Fields and expansions a connection asked for. */
export interface FieldSelection {
  tweetFields: ReadonlySet<string>;
  userFields: ReadonlySet<string>;
  expansions: ReadonlySet<string>;
  mediaFields: ReadonlySet<string>;
  placeFields: ReadonlySet<string>;
  pollFields: ReadonlySet<string>;
}

/** A validated stream request. */
export interface StreamQuery {
  fields: FieldSelection;
  /** sample10 only (1 or 2). */
  partition: number | null;
  backfillMinutes: number;
  /** Identifies the field selection, for caching renderers. */
  fieldsKey: string;
}

/** The result of validating a query: the request, or the API's parameter errors. */
export type StreamQueryResult = { ok: true; query: StreamQuery } | { ok: false; errors: ParameterError[] };

/** Allowed values per list parameter, openapi.json v2.167 (reference A.3). */
const LIST_PARAMETERS = {
  'tweet.fields': [
    'article', 'attachments', 'author_id', 'card_uri', 'community_id', 'context_annotations', 'conversation_id',
    'created_at', 'display_text_range', 'edit_controls', 'edit_history_tweet_ids', 'entities', 'geo', 'id',
    'in_reply_to_user_id', 'lang', 'matched_media_notes', 'media_metadata', 'non_public_metrics',
    'note_request_suggestions', 'note_tweet', 'organic_metrics', 'paid_partnership', 'possibly_sensitive',
    'promoted_metrics', 'public_metrics', 'referenced_tweets', 'reply_settings', 'scopes', 'source',
    'suggested_source_links', 'suggested_source_links_with_counts', 'text', 'withheld',
  ],
  expansions: [
    'article.cover_media', 'article.media_entities', 'attachments.media_keys', 'attachments.media_source_tweet',
    'attachments.poll_ids', 'author_id', 'edit_history_tweet_ids', 'entities.mentions.username', 'geo.place_id',
    'in_reply_to_user_id', 'entities.note.mentions.username', 'referenced_tweets.id',
    'referenced_tweets.id.attachments.media_keys', 'referenced_tweets.id.author_id',
  ],
  'media.fields': [
    'alt_text', 'duration_ms', 'height', 'media_key', 'non_public_metrics', 'organic_metrics', 'preview_image_url',
    'promoted_metrics', 'public_metrics', 'type', 'url', 'variants', 'width',
  ],
  'poll.fields': ['duration_minutes', 'end_datetime', 'id', 'options', 'voting_status'],
  'user.fields': [
    'affiliation', 'confirmed_email', 'connection_status', 'created_at', 'description', 'entities', 'id',
    'is_identity_verified', 'location', 'most_recent_tweet_id', 'name', 'parody', 'pinned_tweet_id',
    'profile_banner_url', 'profile_image_url', 'protected', 'public_metrics', 'receives_your_dm', 'subscription',
    'subscription_type', 'url', 'username', 'verified', 'verified_followers_count', 'verified_type', 'withheld',
  ],
  'place.fields': ['contained_within', 'country', 'country_code', 'full_name', 'geo', 'id', 'name', 'place_type'],
} as const satisfies Record<string, readonly string[]>;

type ListParameter = keyof typeof LIST_PARAMETERS;

const LIST_NAMES = Object.keys(LIST_PARAMETERS) as ListParameter[];
const ENDPOINT_PARAMETERS: Record<StreamEndpoint, readonly string[]> = {
  sample: ['backfill_minutes', ...LIST_NAMES],
  sample10: ['backfill_minutes', ...LIST_NAMES, 'partition', 'start_time', 'end_time'],
};
const TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

function integerError(name: string, raw: string, min: number, max: number): ParameterError | null {
  if (/^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max) return null;
  return {
    parameters: { [name]: [raw] },
    message: `The \`${name}\` query parameter value [${raw}] is not between ${min} and ${max}`,
  };
}

function listErrors(params: URLSearchParams): ParameterError[] {
  const errors: ParameterError[] = [];
  for (const name of LIST_NAMES) {
    const allowed: readonly string[] = LIST_PARAMETERS[name];
    for (const value of (params.get(name) ?? '').split(',').filter((v) => v !== '')) {
      if (!allowed.includes(value)) {
        errors.push({
          parameters: { [name]: [value] },
          message: `The \`${name}\` query parameter value [${value}] is not one of [${allowed.join(',')}]`,
        });
      }
    }
  }
  return errors;
}

function otherErrors(params: URLSearchParams, endpoint: StreamEndpoint): ParameterError[] {
  const errors: ParameterError[] = [];
  const known = ENDPOINT_PARAMETERS[endpoint];
  for (const [name, value] of params) {
    if (!known.includes(name)) {
      errors.push({
        parameters: { [name]: [value] },
        message: `The query parameter [${name}] is not one of [${known.join(',')}]`,
      });
    }
  }
  const backfill = params.get('backfill_minutes');
  const backfillError = backfill === null ? null : integerError('backfill_minutes', backfill, 0, 5);
  if (backfillError) errors.push(backfillError);
  if (endpoint === 'sample10') {
    const partition = params.get('partition');
    const partitionError =
      partition === null || partition === ''
        ? { parameters: { partition: [] }, message: 'The `partition` query parameter can not be empty' }
        : integerError('partition', partition, 1, 2);
    if (partitionError) errors.push(partitionError);
    for (const name of ['start_time', 'end_time']) {
      const time = params.get(name);
      if (time !== null && !TIME_PATTERN.test(time)) {
        errors.push({
          parameters: { [name]: [time] },
          message: `The \`${name}\` query parameter value [${time}] is not a valid time (YYYY-MM-DDTHH:mm:ssZ)`,
        });
      }
    }
  }
  return errors;
}

function fieldSet(params: URLSearchParams, name: ListParameter): ReadonlySet<string> {
  return new Set((params.get(name) ?? '').split(',').filter((v) => v !== ''));
}

function fieldSelection(params: URLSearchParams): { fields: FieldSelection; fieldsKey: string } {
  const fields: FieldSelection = {
    tweetFields: fieldSet(params, 'tweet.fields'),
    userFields: fieldSet(params, 'user.fields'),
    expansions: fieldSet(params, 'expansions'),
    mediaFields: fieldSet(params, 'media.fields'),
    placeFields: fieldSet(params, 'place.fields'),
    pollFields: fieldSet(params, 'poll.fields'),
  };
  const fieldsKey = LIST_NAMES.map((name) => `${name}=${[...fieldSet(params, name)].sort().join(',')}`).join('&');
  return { fields, fieldsKey };
}

/** Validates a stream request's query like the API does (reference A.3): every bad parameter is reported. */
export function parseStreamQuery(params: URLSearchParams, endpoint: StreamEndpoint): StreamQueryResult {
  const errors = [...otherErrors(params, endpoint), ...listErrors(params)];
  if (errors.length > 0) return { ok: false, errors };
  const { fields, fieldsKey } = fieldSelection(params);
  const partition = params.get('partition');
  return {
    ok: true,
    query: {
      fields,
      partition: endpoint === 'sample10' && partition !== null ? Number(partition) : null,
      backfillMinutes: Number(params.get('backfill_minutes') ?? 0),
      fieldsKey,
    },
  };
}

/** A validated `GET /2/tweets` request. */
export interface LookupQuery {
  ids: string[];
  fields: FieldSelection;
  fieldsKey: string;
}

/** The result of validating a lookup query: the request, or the API's parameter errors. */
export type LookupQueryResult = { ok: true; query: LookupQuery } | { ok: false; errors: ParameterError[] };

const LOOKUP_PARAMETERS: readonly string[] = ['ids', ...LIST_NAMES];
/** The API's pattern for one tweet ID. */
const ID_PATTERN = /^[0-9]{1,19}$/;
/** `GET /2/tweets` takes 1 to 100 IDs. */
const MAX_LOOKUP_IDS = 100;

function idsErrors(raw: string | null): ParameterError[] {
  if (raw === null || raw === '') return [{ parameters: { ids: [] }, message: 'The `ids` query parameter can not be empty' }];
  const ids = raw.split(',');
  const errors: ParameterError[] = ids
    .filter((id) => !ID_PATTERN.test(id))
    .map((id) => ({
      parameters: { ids: [id] },
      message: `The \`ids\` query parameter value [${id}] does not match ${ID_PATTERN.source}`,
    }));
  if (ids.length > MAX_LOOKUP_IDS) {
    errors.push({
      parameters: { ids: [raw] },
      message: `The number of values in the \`ids\` query parameter list [${ids.length}] is not between 1 and ${MAX_LOOKUP_IDS}`,
    });
  }
  return errors;
}

/** Validates a `GET /2/tweets` query like the API does: 1-100 numeric IDs and known fields and expansions. */
export function parseLookupQuery(params: URLSearchParams): LookupQueryResult {
  const unknown: ParameterError[] = [...params.keys()]
    .filter((name) => !LOOKUP_PARAMETERS.includes(name))
    .map((name) => ({
      parameters: { [name]: [params.get(name) ?? ''] },
      message: `The query parameter [${name}] is not one of [${LOOKUP_PARAMETERS.join(',')}]`,
    }));
  const errors = [...unknown, ...idsErrors(params.get('ids')), ...listErrors(params)];
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, query: { ids: (params.get('ids') ?? '').split(','), ...fieldSelection(params) } };
}
