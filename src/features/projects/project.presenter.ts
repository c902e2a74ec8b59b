/** A project as Redmine's API shows it (§6.2). Optional sections appear only when asked and allowed. */
import { list, ref, time, type ApiObject } from '#src/api/resource.ts';
import type { ProjectRow } from './project.repository.ts';

export interface ProjectPresentation {
  /** The parent when it exists and the viewer may see it. */
  parent?: { id: number; name: string } | undefined;
  trackers?: { id: number; name: string }[] | undefined;
  enabledModules?: { id: number; name: string }[] | undefined;
}

export function presentProject(p: ProjectRow, extra: ProjectPresentation): ApiObject {
  return {
    id: p.id,
    name: p.name,
    identifier: p.identifier ?? '',
    description: p.description,
    homepage: p.homepage ?? '',
    parent: extra.parent ? ref(extra.parent) : undefined,
    status: p.status,
    is_public: p.isPublic,
    inherit_members: p.inheritMembers,
    trackers: extra.trackers ? list('tracker', extra.trackers.map((t) => ref(t))) : undefined,
    enabled_modules: extra.enabledModules ? list('enabled_module', extra.enabledModules.map((m) => ref(m))) : undefined,
    created_on: time(p.createdOn),
    updated_on: time(p.updatedOn),
  };
}
