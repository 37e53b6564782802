import { Badge, createTheme, darken, defaultVariantColorsResolver, Modal, NavLink, Notification, NumberInput, parseThemeColor, type VariantColorsResolver } from '@mantine/core'

/**
 * Mantine shows a pressed or hovered filled button of shade 9 in shade 8, a lighter colour: white text on red 8
 * is 4.51:1, AA by a hair, and below it as soon as anything blends in (a dialog's last frames of fading in).
 * A dark button gets darker when pressed instead.
 */
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input)
  if (input.variant !== 'filled') return colors
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme })
  return parsed.isThemeColor && parsed.shade === 9 ? { ...colors, hover: darken(parsed.value, 0.15) } : colors
}

/**
 * Shade 8 for filled colours and filled badges and navigation: Mantine's lighter defaults fall short of
 * WCAG AA contrast, and staff read these screens all day.
 */
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  autoContrast: true,
  variantColorResolver,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  components: {
    Badge: Badge.extend({
      defaultProps: { variant: 'filled' },
      // A badge is never cut ("NO-SH..."): it sizes to its words and wraps where its column is narrower (issue 23).
      styles: {
        root: { height: 'auto', minHeight: 'var(--badge-height)', overflow: 'visible', maxWidth: '100%' },
        label: { whiteSpace: 'normal', overflow: 'visible', textOverflow: 'clip' },
      },
    }),
    NavLink: NavLink.extend({ defaultProps: { variant: 'filled' } }),
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    // A number out of range stays as typed and is refused with the field's message ("Pain now must be 0 to 10"):
    // Mantine's default would quietly turn a typed 11 into 10 when the field loses focus (issue 23 point 1).
    NumberInput: NumberInput.extend({ defaultProps: { clampBehavior: 'none' } }),
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Close notification' } },
      styles: { description: { color: 'var(--mantine-color-gray-8)' } },
    }),
  },
})
