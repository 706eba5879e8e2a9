/** The language id a fence info word opens as a cell, or undefined when the fence stays markdown. */
export declare function languageForFence(info: string): string | undefined;
export declare function fenceForLanguage(language: string): string | undefined;
export declare const CODE_LANGUAGE_IDS: string[];
