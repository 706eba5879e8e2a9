export const BUNDLE: string;
export function messages(): string[];
export function bundleText(): string;
