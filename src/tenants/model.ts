/** The tenant: one customer organisation; every other row of tenant data names one. */
export interface Tenant {
  id: string;
  name: string;
  createdAt: Date;
}
