import { Badge, createTheme, Modal, NavLink, Notification } from '@mantine/core'

/**
 * Shade 8 for filled colours and filled badges and navigation: Mantine's lighter defaults fall short of
 * WCAG AA contrast, and staff read these screens all day.
 */
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  autoContrast: true,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  components: {
    Badge: Badge.extend({ defaultProps: { variant: 'filled' } }),
    NavLink: NavLink.extend({ defaultProps: { variant: 'filled' } }),
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Close notification' } },
      styles: { description: { color: 'var(--mantine-color-gray-8)' } },
    }),
  },
})
