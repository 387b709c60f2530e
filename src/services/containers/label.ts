/** Label on every container the suite starts (with the starting process's id), so leftovers of a killed run can be found and removed. */
export const CONTAINER_LABEL = 'io.cruddur-labs.owner';
