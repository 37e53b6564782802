import type { Channel, ChannelOutput, ChannelParsedInput } from '../../shared/contract'
import type { ServiceContext } from '../services/context'

export type Handler<C extends Channel> = (ctx: ServiceContext, input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>>

/** The handlers for one area's channels: `RouteTable<keyof typeof xChannels>`. */
export type RouteTable<K extends Channel> = { [C in K]: Handler<C> }
