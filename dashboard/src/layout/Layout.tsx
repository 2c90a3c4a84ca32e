// The frame around every page: the app bar with the locale switcher and a user menu
// that says who is logged in, for which organization, with which role; the app bar also
// holds the live socket (one per logged-in dashboard).
import { ListItemText, MenuItem } from '@mui/material';
import { AppBar, Layout as RaLayout, LoadingIndicator, LocalesMenuButton, Logout, UserMenu, useGetIdentity, useTranslate, type LayoutProps } from 'react-admin';
import { LiveUpdates } from '../live/LiveUpdates';
import { LocaleSync } from './LocaleSync';
import { readSession } from '../providers/session';
import { ChangePasswordScreen } from './ChangePassword';
import { Menu } from './Menu';
import { CheckboxLabels } from './CheckboxLabels';

const WhoAmI = () => {
  const { identity } = useGetIdentity();
  const translate = useTranslate();
  if (!identity) return null;
  const role = identity.role ? translate(`app.roles.${identity.role}`, { _: String(identity.role) }) : '';
  return (
    <MenuItem disabled divider>
      <ListItemText primary={identity.organizationName} secondary={[identity.email, role].filter(Boolean).join(' · ')} />
    </MenuItem>
  );
};

// The button shows the user's name, so its accessible name is that name too.
const MissionControlUserMenu = () => {
  const { identity } = useGetIdentity();
  return (
    <UserMenu label={identity?.fullName ? String(identity.fullName) : undefined}>
      <WhoAmI />
      <Logout />
    </UserMenu>
  );
};

const MissionControlAppBar = () => (
  <AppBar
    userMenu={<MissionControlUserMenu />}
    toolbar={
      <>
        <LiveUpdates />
        <LocaleSync />
        <LocalesMenuButton />
        <LoadingIndicator />
      </>
    }
  />
);

export const Layout = ({ children }: LayoutProps) =>
  // Signed in with a password that must be changed first: nothing else until it is.
  readSession()?.passwordChangeRequired ? (
    <ChangePasswordScreen />
  ) : (
    // min-width 0 (react-admin's root is fit-content): a wide table or source scrolls inside its page instead of widening it past a phone's screen.
    <RaLayout
      appBar={MissionControlAppBar}
      menu={Menu}
      sx={{
        minWidth: 0,
        '& .RaLayout-appFrame, & .RaLayout-contentWithSidebar, & .RaLayout-content': { minWidth: 0 },
        '& .RaList-content': { overflowX: 'auto' },
        '& .RaList-main': { minWidth: 0, maxWidth: '100%' },
        '& .RaDatagrid-tableWrapper': { overflowX: 'auto' },
      }}
    >
      <CheckboxLabels />
      {children}
    </RaLayout>
  );
