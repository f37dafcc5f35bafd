/** The part of @lhncbc/ucum-lhc (CommonJS, no types of its own) that the FHIR layer uses. */
declare module '@lhncbc/ucum-lhc' {
  export interface UcumConversion {
    readonly status: 'succeeded' | 'failed' | 'error';
    readonly toVal: number | null;
    readonly msg: readonly string[];
  }
  export interface UcumLhcUtils {
    convertUnitTo(fromUnitCode: string, fromVal: number, toUnitCode: string): UcumConversion;
  }
  const ucum: { readonly UcumLhcUtils: { getInstance(): UcumLhcUtils } };
  export default ucum;
}
