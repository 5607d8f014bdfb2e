import { Module } from '@nestjs/common';
import { RouterNotifications } from './router-notifications';

/** The LISTEN connection and its channels (see RouterNotifications). Imports no feature. */
@Module({
  providers: [RouterNotifications],
  exports: [RouterNotifications],
})
export class NotificationsModule {}
