// Which mermaid theme matches the VS Code theme. VS Code marks the webview body with
// `vscode-light`, `vscode-dark`, `vscode-high-contrast` and, for high contrast light, also
// `vscode-high-contrast-light` (which must not be mistaken for dark). Pure: tested in node.

export type ThemeKind = 'light' | 'dark' | 'hc-dark' | 'hc-light';

export function themeKindFromClasses(classes: Iterable<string>): ThemeKind {
  const set = new Set(classes);
  if (set.has('vscode-high-contrast-light')) return 'hc-light';
  if (set.has('vscode-high-contrast')) return 'hc-dark';
  if (set.has('vscode-dark')) return 'dark';
  return 'light';
}

export interface MermaidThemeConfig {
  theme: 'default' | 'dark' | 'base';
  themeVariables?: Record<string, string | boolean>;
}

/** High contrast needs hex colours (mermaid derives shades from them), so it uses the `base` theme. */
export function mermaidThemeFor(kind: ThemeKind): MermaidThemeConfig {
  switch (kind) {
    case 'light':
      return { theme: 'default' };
    case 'dark':
      return { theme: 'dark' };
    case 'hc-dark':
      return {
        theme: 'base',
        themeVariables: {
          darkMode: true,
          background: '#000000',
          primaryColor: '#000000',
          primaryTextColor: '#ffffff',
          primaryBorderColor: '#6fc3df',
          secondaryColor: '#0c141f',
          tertiaryColor: '#000000',
          lineColor: '#ffffff',
          textColor: '#ffffff',
          mainBkg: '#000000',
          nodeBorder: '#6fc3df',
          clusterBkg: '#000000',
          clusterBorder: '#f38518',
          edgeLabelBackground: '#000000',
          noteBkgColor: '#000000',
          noteTextColor: '#ffffff',
          noteBorderColor: '#f38518',
        },
      };
    case 'hc-light':
      return {
        theme: 'base',
        themeVariables: {
          darkMode: false,
          background: '#ffffff',
          primaryColor: '#ffffff',
          primaryTextColor: '#000000',
          primaryBorderColor: '#0f4a85',
          secondaryColor: '#f2f2f2',
          tertiaryColor: '#ffffff',
          lineColor: '#000000',
          textColor: '#000000',
          mainBkg: '#ffffff',
          nodeBorder: '#0f4a85',
          clusterBkg: '#ffffff',
          clusterBorder: '#b5200d',
          edgeLabelBackground: '#ffffff',
          noteBkgColor: '#ffffff',
          noteTextColor: '#000000',
          noteBorderColor: '#b5200d',
        },
      };
  }
}

/** Name shown in the preview's theme picker. */
export const THEME_LABELS: Record<ThemeKind, string> = {
  light: 'Light',
  dark: 'Dark',
  'hc-dark': 'High contrast',
  'hc-light': 'High contrast light',
};
