import { z } from 'zod';

const entitySchema = z.object({
  id: z.string(),
  attributes: z.object({
    kind: z.enum(['file', 'folder']),
    name: z.string(),
    path: z.string(),
    materialized: z.string().optional(),
    size: z.number().nullable().optional(),
    extra: z
      .object({
        version: z.number().optional(),
        hashes: z.object({ sha256: z.string().optional(), md5: z.string().optional() }).optional(),
      })
      .optional(),
  }),
  links: z.object({ upload: z.string().optional(), download: z.string().optional() }).optional(),
});

/** The fields of a WaterButler file or folder entity (reference D.4) this client uses. */
export interface OsfEntity {
  kind: 'file' | 'folder';
  name: string;
  /** The osfstorage ID without slashes ('/<id>' or '/<id>/' in WaterButler's `path`). */
  id: string;
  sha256: string | null;
  version: number | null;
  /** Bytes of the latest version (null for folders). */
  size: number | null;
  uploadUrl: string | null;
  /** `links.download` (files only). */
  downloadUrl: string | null;
}

function toEntity(raw: z.output<typeof entitySchema>): OsfEntity {
  const { attributes } = raw;
  return {
    kind: attributes.kind,
    name: attributes.name,
    id: attributes.path.replace(/^\/+|\/+$/g, ''),
    sha256: attributes.extra?.hashes?.sha256 ?? null,
    version: attributes.extra?.version ?? null,
    size: attributes.size ?? null,
    uploadUrl: raw.links?.upload ?? null,
    downloadUrl: raw.links?.download ?? null,
  };
}

/** The entity in `{"data": entity}` (201/200 bodies, and a file 409's `data`); null if the body has none. */
export function parseEntityBody(body: unknown): OsfEntity | null {
  const parsed = z.object({ data: entitySchema }).safeParse(body);
  return parsed.success ? toEntity(parsed.data.data) : null;
}

/** The entities of a folder listing `{"data": [entity, ...]}`; null if the body is not a listing. */
export function parseListingBody(body: unknown): OsfEntity[] | null {
  const parsed = z.object({ data: z.array(entitySchema) }).safeParse(body);
  return parsed.success ? parsed.data.data.map(toEntity) : null;
}
