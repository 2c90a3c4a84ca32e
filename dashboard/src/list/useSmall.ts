// Below 600 px (MUI's `sm`) lists become react-admin SimpleList cards: a table of seven
// columns is wider than a phone, a card list is not.
import { useMediaQuery, type Theme } from '@mui/material';

export const useSmall = () => useMediaQuery<Theme>((theme) => theme.breakpoints.down('sm'), { noSsr: true });
