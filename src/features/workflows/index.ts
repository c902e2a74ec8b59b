/**
 * Workflows for other features: copying a tracker's or role's workflow rules onto a new one (inside
 * the caller's transaction), as trackers and roles do when they are created with "copy workflow
 * from". The editor pages are `workflowsPages`.
 */
export { considersWorkflow, copyWorkflowRules, type WorkflowSource } from './workflow.service.ts';
export { coreFieldLabel } from './views/field-permissions-page.tsx';
