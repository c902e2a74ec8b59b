/**
 * Projects for other features: find a project the actor may see, and the facts the permission
 * engine needs about it. Everything else of projects stays inside this folder.
 */
export { findProjectAccess, getVisibleProject, loadProjectAccess, projectAccessByIds, type ProjectContext } from './project.service.ts';
export { allowedGlobally } from './project.policy.ts';
export { listProjectsForAdmin } from './project.admin.ts';
export { findProject, type ProjectRow } from './project.repository.ts';
export { loadJumpProjects, loadProjectFrame, type ProjectFrame } from './project.frame.ts';
export { listProjectChoices, type ProjectChoice } from './project.choices.ts';
export { latestVisibleProjects } from './project.latest.ts';
