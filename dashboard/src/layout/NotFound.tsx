// What a wrong address shows: a page that says so (with an h1), never the list with
// "Element does not exist". Used as react-admin's catch-all and by a show page whose
// record the API does not have.
import { Box, Button, Card, CardContent, Typography } from '@mui/material';
import { Link } from 'react-router-dom';
import { Title, useTranslate } from 'react-admin';

export const NotFound = ({ what = 'page' }: { what?: 'page' | 'course' }) => {
  const translate = useTranslate();
  return (
    <Card sx={{ mt: 2 }} data-testid="not-found" data-what={what}>
      <Title title={translate('app.notFound.title')} />
      <CardContent>
        <Typography variant="h4" component="h1" gutterBottom>
          {translate('app.notFound.title')}
        </Typography>
        <Typography sx={{ mb: 2 }}>{translate(`app.notFound.${what}`)}</Typography>
        <Box>
          <Button component={Link} to="/courses" variant="contained">
            {translate('app.notFound.back')}
          </Button>
        </Box>
      </CardContent>
    </Card>
  );
};

export default NotFound;
