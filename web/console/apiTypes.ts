/**
 * The operator API's response and configuration types, generated from the OpenAPI document
 * (src/console/openapi.ts, schemas in src/console/responses.ts) by `npm run gen:api`.
 * Do not edit: regenerate; test/console/apiTypes.test.ts fails when this file is stale.
 */
export type paths = Record<string, never>;
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    Error: {
      error: {
        /** @enum {unknown} */
        code:
          | 'invalid_request'
          | 'invalid_json'
          | 'invalid_config'
          | 'invalid_export'
          | 'unauthorized'
          | 'forbidden'
          | 'bad_signature'
          | 'stale_timestamp'
          | 'bad_verify_token'
          | 'not_found'
          | 'contact_not_found'
          | 'conflict'
          | 'contact_stopped'
          | 'backup_running'
          | 'review_not_pending'
          | 'review_stale'
          | 'payload_too_large'
          | 'import_too_large'
          | 'history_too_large'
          | 'unsupported_media_type'
          | 'rate_limited'
          | 'internal'
          | 'bundle_failed'
          | 'storage_unavailable'
          | 'replay_busy'
          | 'import_failed'
          | 'shutting_down'
          | 'too_many_connections';
        message: string;
        /** @description field errors: [{path, message}] for validation failures */
        details?: unknown;
      };
    };
    CalendarEvent: {
      /** @enum {string} */
      event: 'booked' | 'cancelled' | 'rescheduled';
      eventId?: string;
      contactId?: string;
      /** Format: email */
      email?: string;
      phone?: string;
      /** Format: date-time */
      startsAt?: string;
      /** Format: date-time */
      endsAt?: string;
      title?: string;
      metadata?: {
        [key: string]: unknown;
      };
    };
    ContactDetail: {
      contact: components['schemas']['LabelledContact'];
      /** @enum {unknown} */
      state: 'active' | 'awaiting' | 'busy' | 'scheduled' | 'stopped' | 'booked';
      /** @description epoch, humanActive, bookingLinkSent, cadenceComplete, requested, timer */
      context: {
        [key: string]: unknown;
      };
      pendingFollowUps: components['schemas']['FollowUp'][];
      pastFollowUps: components['schemas']['FollowUp'][];
      pastFollowUpsTotal: number;
      transitions: number;
    };
    FieldMessage: {
      path: string;
      message: string;
    };
    BotConfig: {
      name: string;
      active: boolean;
      timezone: string;
      workingHours: {
        mon?: {
          start: string;
          end: string;
        }[];
        tue?: {
          start: string;
          end: string;
        }[];
        wed?: {
          start: string;
          end: string;
        }[];
        thu?: {
          start: string;
          end: string;
        }[];
        fri?: {
          start: string;
          end: string;
        }[];
        sat?: {
          start: string;
          end: string;
        }[];
        sun?: {
          start: string;
          end: string;
        }[];
      } | null;
      channelSwitching: boolean;
      bookingUrl: string | null;
      builtInResponder: boolean;
      smsConsent: boolean;
      inboundWebhookUrl: string | null;
      followUpCapPer24h: number;
      botReplyTimeout:
        | string
        | {
            value: number;
            /** @enum {string} */
            unit: 'seconds' | 'minutes' | 'hours' | 'days';
          };
      missedGrace:
        | string
        | {
            value: number;
            /** @enum {string} */
            unit: 'seconds' | 'minutes' | 'hours' | 'days';
          };
      smsQuietHours: {
        start: string;
        end: string;
      };
      widgetColor: string | null;
      uncertainThreshold: number;
      /** @enum {string} */
      onDoubt: 'hold' | 'treatAsEngaged';
      reviewWebhookUrl: string | null;
      retention?: {
        messages:
          | (
              | string
              | {
                  value: number;
                  /** @enum {string} */
                  unit: 'seconds' | 'minutes' | 'hours' | 'days';
                }
            )
          | null;
        transitions:
          | (
              | string
              | {
                  value: number;
                  /** @enum {string} */
                  unit: 'seconds' | 'minutes' | 'hours' | 'days';
                }
            )
          | null;
        finishedFollowUps:
          | (
              | string
              | {
                  value: number;
                  /** @enum {string} */
                  unit: 'seconds' | 'minutes' | 'hours' | 'days';
                }
            )
          | null;
      };
      scenarios: {
        stoppedReplying: {
          enabled: boolean;
          cadence: {
            delay:
              | string
              | {
                  value: number;
                  /** @enum {string} */
                  unit: 'seconds' | 'minutes' | 'hours' | 'days';
                };
            message?:
              | {
                  /** @constant */
                  mode: 'ai';
                }
              | {
                  /** @constant */
                  mode: 'custom';
                  text: string;
                };
            workflow?: (
              | {
                  /** @constant */
                  type: 'addTag';
                  tag: string;
                }
              | {
                  /** @constant */
                  type: 'removeTag';
                  tag: string;
                }
              | {
                  /** @constant */
                  type: 'assignUser';
                  userId: string;
                }
              | {
                  /** @constant */
                  type: 'notifyUser';
                  userId?: string;
                  webhookUrl?: string;
                  message?: string;
                }
            )[];
          }[];
          message:
            | {
                /** @constant */
                mode: 'ai';
              }
            | {
                /** @constant */
                mode: 'custom';
                text: string;
              };
          workflow: (
            | {
                /** @constant */
                type: 'addTag';
                tag: string;
              }
            | {
                /** @constant */
                type: 'removeTag';
                tag: string;
              }
            | {
                /** @constant */
                type: 'assignUser';
                userId: string;
              }
            | {
                /** @constant */
                type: 'notifyUser';
                userId?: string;
                webhookUrl?: string;
                message?: string;
              }
          )[];
        };
        busy: {
          enabled: boolean;
          cadence: {
            delay:
              | string
              | {
                  value: number;
                  /** @enum {string} */
                  unit: 'seconds' | 'minutes' | 'hours' | 'days';
                };
            message?:
              | {
                  /** @constant */
                  mode: 'ai';
                }
              | {
                  /** @constant */
                  mode: 'custom';
                  text: string;
                };
            workflow?: (
              | {
                  /** @constant */
                  type: 'addTag';
                  tag: string;
                }
              | {
                  /** @constant */
                  type: 'removeTag';
                  tag: string;
                }
              | {
                  /** @constant */
                  type: 'assignUser';
                  userId: string;
                }
              | {
                  /** @constant */
                  type: 'notifyUser';
                  userId?: string;
                  webhookUrl?: string;
                  message?: string;
                }
            )[];
          }[];
          message:
            | {
                /** @constant */
                mode: 'ai';
              }
            | {
                /** @constant */
                mode: 'custom';
                text: string;
              };
          workflow: (
            | {
                /** @constant */
                type: 'addTag';
                tag: string;
              }
            | {
                /** @constant */
                type: 'removeTag';
                tag: string;
              }
            | {
                /** @constant */
                type: 'assignUser';
                userId: string;
              }
            | {
                /** @constant */
                type: 'notifyUser';
                userId?: string;
                webhookUrl?: string;
                message?: string;
              }
          )[];
        };
        requestedTime: {
          enabled: boolean;
          cadence: {
            delay:
              | string
              | {
                  value: number;
                  /** @enum {string} */
                  unit: 'seconds' | 'minutes' | 'hours' | 'days';
                };
            message?:
              | {
                  /** @constant */
                  mode: 'ai';
                }
              | {
                  /** @constant */
                  mode: 'custom';
                  text: string;
                };
            workflow?: (
              | {
                  /** @constant */
                  type: 'addTag';
                  tag: string;
                }
              | {
                  /** @constant */
                  type: 'removeTag';
                  tag: string;
                }
              | {
                  /** @constant */
                  type: 'assignUser';
                  userId: string;
                }
              | {
                  /** @constant */
                  type: 'notifyUser';
                  userId?: string;
                  webhookUrl?: string;
                  message?: string;
                }
            )[];
          }[];
          message:
            | {
                /** @constant */
                mode: 'ai';
              }
            | {
                /** @constant */
                mode: 'custom';
                text: string;
              };
          workflow: (
            | {
                /** @constant */
                type: 'addTag';
                tag: string;
              }
            | {
                /** @constant */
                type: 'removeTag';
                tag: string;
              }
            | {
                /** @constant */
                type: 'assignUser';
                userId: string;
              }
            | {
                /** @constant */
                type: 'notifyUser';
                userId?: string;
                webhookUrl?: string;
                message?: string;
              }
          )[];
        };
      };
    };
    Bot: {
      id: string;
      name: string;
      widgetKey: string;
      allowedOrigins: string[];
      config: components['schemas']['BotConfig'];
      warnings: components['schemas']['FieldMessage'][];
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    ConfigVerdict: {
      ok: boolean;
      errors: components['schemas']['FieldMessage'][];
      warnings: components['schemas']['FieldMessage'][];
      config: components['schemas']['BotConfig'] | null;
    };
    BotInstall: {
      botId: string;
      widgetKey: string;
      businessName: string;
      widgetColor: string | null;
      allowedOrigins: string[];
      snippet: string;
      /** @description the last page origin refused by the widget handshake */
      lastRefused: {
        origin: string | null;
        /** Format: date-time */
        at: string;
        nowAllowed: boolean;
      } | null;
    };
    BotSecrets: {
      calendar: {
        secret: string;
        /** Format: date-time */
        createdAt: string;
        webhookPath: string;
      };
      webhook: {
        secret: string;
        /** Format: date-time */
        createdAt: string;
        signature: string;
      };
    };
    Operator: {
      id: string;
      name: string;
      admin: boolean;
      /** @description null = every bot (admin) */
      botIds: string[] | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    OperatorList: {
      operators: components['schemas']['Operator'][];
    };
    OperatorToken: {
      operator: components['schemas']['Operator'];
      token: string;
    };
    Me: {
      operator: {
        id: string;
        name: string;
        admin: boolean;
      };
      bots: {
        id: string;
        name: string;
      }[];
      channels: {
        /** @enum {string} */
        sms: 'twilio' | 'log';
        facebook: boolean;
        instagram: boolean;
        whatsapp: boolean;
        /** @description plain sentences for channels that do not really send (SMS log-only, Meta not connected) */
        warnings: string[];
      };
    };
    Review: {
      messageId: string;
      /** Format: date-time */
      at: string;
      /** @enum {string} */
      intent: 'busy' | 'request_time' | 'not_interested' | 'booked' | 'engaged';
      confidence: number | null;
      readings: {
        /** @enum {string} */
        intent: 'busy' | 'request_time' | 'not_interested' | 'booked' | 'engaged';
        confidence: number;
      }[];
      refusalCue: boolean;
      requestedAt: string | null;
      /** @description the message under review (listing with needsReview=true only) */
      text?: string | null;
    };
    Contact: {
      id: string;
      botId: string;
      name: string | null;
      phone: string | null;
      email: string | null;
      timezone: string | null;
      /** @enum {string} */
      state: 'active' | 'awaiting' | 'busy' | 'scheduled' | 'stopped' | 'booked';
      epoch: number;
      lastChannel: string;
      tags: string[];
      assignedUser: string | null;
      /** @description the language the contact last wrote in (en, es, pt, fr, de, it, nl, pl, tr, hi-Latn, tl); built-in follow-ups and replies are written in it; null until known */
      language: string | null;
      needsReview: boolean;
      review: components['schemas']['Review'] | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    LabelledContact: {
      id: string;
      botId: string;
      name: string | null;
      phone: string | null;
      email: string | null;
      timezone: string | null;
      /** @enum {string} */
      state: 'active' | 'awaiting' | 'busy' | 'scheduled' | 'stopped' | 'booked';
      epoch: number;
      lastChannel: string;
      tags: string[];
      assignedUser: string | null;
      /** @description the language the contact last wrote in (en, es, pt, fr, de, it, nl, pl, tr, hi-Latn, tl); built-in follow-ups and replies are written in it; null until known */
      language: string | null;
      needsReview: boolean;
      review: components['schemas']['Review'] | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      /** @description "Visitor 12", for a contact who left no name */
      visitorNumber: number | null;
      /** @description the city its zone names, e.g. "Lisbon" */
      place: string | null;
    };
    ContactListItem: {
      id: string;
      botId: string;
      name: string | null;
      phone: string | null;
      email: string | null;
      timezone: string | null;
      /** @enum {string} */
      state: 'active' | 'awaiting' | 'busy' | 'scheduled' | 'stopped' | 'booked';
      epoch: number;
      lastChannel: string;
      tags: string[];
      assignedUser: string | null;
      /** @description the language the contact last wrote in (en, es, pt, fr, de, it, nl, pl, tr, hi-Latn, tl); built-in follow-ups and replies are written in it; null until known */
      language: string | null;
      needsReview: boolean;
      review: components['schemas']['Review'] | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      /** @description "Visitor 12", for a contact who left no name */
      visitorNumber: number | null;
      /** @description the city its zone names, e.g. "Lisbon" */
      place: string | null;
      /** @description the latest message (its first 140 characters), as a preview */
      lastMessage: {
        /** @enum {string} */
        from: 'contact' | 'bot' | 'operator';
        text: string;
        /** Format: date-time */
        at: string;
      } | null;
      nextFollowUp: {
        id: string;
        /** @enum {string} */
        scenario: 'stoppedReplying' | 'busy' | 'requestedTime';
        step: number;
        /** Format: date-time */
        dueAt: string;
      } | null;
    };
    ContactPage: {
      contacts: components['schemas']['ContactListItem'][];
      total: number;
      limit: number;
      offset: number;
    };
    Zoned: {
      zone: string;
      local: string;
      /** @enum {string} */
      source?: 'contact' | 'phone' | 'bot';
    };
    Trigger: {
      messageId: string;
      /** @enum {string} */
      from: 'contact' | 'bot' | 'operator';
      text: string;
      /** Format: date-time */
      at: string;
      /** @description what the classifier read: intent, phrase, requestedAt (epoch ms), … */
      classification:
        | ({
            /** @enum {string} */
            intent?: 'busy' | 'request_time' | 'not_interested' | 'booked' | 'engaged';
            phrase?: string;
            requestedAt?: number;
          } & {
            [key: string]: unknown;
          })
        | null;
    };
    FollowUp: {
      id: string;
      /**
       * @description fallthrough: the bot-silence timer
       * @enum {string}
       */
      kind: 'followup' | 'fallthrough';
      /** @enum {string} */
      scenario: 'stoppedReplying' | 'busy' | 'requestedTime' | 'botSilence';
      step: number;
      epoch: number;
      /** @enum {string} */
      status: 'pending' | 'sent' | 'cancelled' | 'skipped' | 'fired';
      reason: string | null;
      /** @description operator who cancelled / rescheduled */
      actor: string | null;
      /** Format: date-time */
      dueAt: string;
      /** Format: date-time */
      rawDueAt: string;
      deferReason: string | null;
      dueInBusinessZone: components['schemas']['Zoned'];
      dueInContactZone: components['schemas']['Zoned'] | null;
      channel: string | null;
      channelReason: string | null;
      messageMode: ('ai' | 'custom') | null;
      sentAt: string | null;
      /** Format: date-time */
      createdAt: string;
      /**
       * Format: date-time
       * @description when the row last changed (cancelled, skipped, sent)
       */
      updatedAt: string;
      trigger: components['schemas']['Trigger'] | null;
    };
    Prediction: {
      /** @enum {string} */
      kind: 'scheduled' | 'projected';
      followUpId: string | null;
      /** @enum {string} */
      scenario: 'stoppedReplying' | 'busy' | 'requestedTime';
      step: number;
      /** Format: date-time */
      dueAt: string;
      dueInBusinessZone: components['schemas']['Zoned'];
      dueInContactZone: components['schemas']['Zoned'];
      /**
       * Format: date-time
       * @description when it would really go out (SMS quiet hours and working hours applied)
       */
      sendAt: string;
      sendInBusinessZone: components['schemas']['Zoned'];
      sendInContactZone: components['schemas']['Zoned'];
      deferredBy: string[];
      channel: string;
      channelReason: string;
      switched: boolean;
      /** @enum {string} */
      presence: 'open' | 'closed' | 'unknown' | 'irrelevant';
      alternative: {
        channel: string;
        reason: string;
      } | null;
      /** @enum {string} */
      outcome: 'send' | 'skip';
      skipReason: string | null;
      /** @enum {string} */
      messageMode: 'ai' | 'custom';
      messagePreview: string | null;
      /** @description the workflow actions it runs */
      workflow: ({
        type: string;
      } & {
        [key: string]: unknown;
      })[];
      contactId: string;
    };
    PendingFollowUp: {
      id: string;
      /**
       * @description fallthrough: the bot-silence timer
       * @enum {string}
       */
      kind: 'followup' | 'fallthrough';
      /** @enum {string} */
      scenario: 'stoppedReplying' | 'busy' | 'requestedTime' | 'botSilence';
      step: number;
      epoch: number;
      /** @enum {string} */
      status: 'pending' | 'sent' | 'cancelled' | 'skipped' | 'fired';
      reason: string | null;
      /** @description operator who cancelled / rescheduled */
      actor: string | null;
      /** Format: date-time */
      dueAt: string;
      /** Format: date-time */
      rawDueAt: string;
      deferReason: string | null;
      dueInBusinessZone: components['schemas']['Zoned'];
      dueInContactZone: components['schemas']['Zoned'];
      channel: string | null;
      channelReason: string | null;
      messageMode: ('ai' | 'custom') | null;
      sentAt: string | null;
      /** Format: date-time */
      createdAt: string;
      /**
       * Format: date-time
       * @description when the row last changed (cancelled, skipped, sent)
       */
      updatedAt: string;
      trigger: components['schemas']['Trigger'] | null;
      operatorTimed: boolean;
      stepsInCadence: number;
      delay: string | null;
      prediction: components['schemas']['Prediction'];
      /** @description later steps due within 72 h if the contact stays silent */
      projected: components['schemas']['Prediction'][];
    };
    Message: {
      id: string;
      seq: number;
      /** @enum {string} */
      from: 'contact' | 'bot' | 'operator';
      channel: string;
      text: string;
      /** Format: date-time */
      at: string;
      clientId: string | null;
      /** @description what the classifier read: intent, phrase, requestedAt (epoch ms), … */
      classification:
        | ({
            /** @enum {string} */
            intent?: 'busy' | 'request_time' | 'not_interested' | 'booked' | 'engaged';
            phrase?: string;
            requestedAt?: number;
          } & {
            [key: string]: unknown;
          })
        | null;
      followUpId: string | null;
      meta: {
        [key: string]: unknown;
      } | null;
    };
    Transition: {
      seq: number;
      /** Format: date-time */
      at: string;
      /** @description the event as applied */
      event: {
        type: string;
      } & {
        [key: string]: unknown;
      };
      from: string;
      to: string;
      actions: unknown[];
    };
    Notification: {
      id: number;
      botId: string;
      contactId: string | null;
      contactName: string | null;
      type: string;
      message: string | null;
      userId: string | null;
      scenario: string | null;
      step: number | null;
      followUpId: string | null;
      /** @enum {string} */
      channel: 'console' | 'webhook';
      webhookUrl: string | null;
      delivery: {
        status: string;
        attempts: number;
        lastError: string | null;
      } | null;
      /** Format: date-time */
      at: string;
      unread: boolean;
    };
    NotificationPage: {
      notifications: components['schemas']['Notification'][];
      unread: number;
      lastReadId: number;
      nextBefore: number | null;
    };
    ReadMark: {
      lastReadId: number;
    };
    ResponseInfo: {
      contact: components['schemas']['LabelledContact'];
      /** @enum {string} */
      state: 'active' | 'awaiting' | 'busy' | 'scheduled' | 'stopped' | 'booked';
      scenario: ('stoppedReplying' | 'busy' | 'requestedTime') | null;
      context: {
        epoch: number;
        humanActive: boolean;
        bookingLinkSent: boolean;
        cadenceComplete: ('stoppedReplying' | 'busy' | 'requestedTime') | null;
        requested:
          | ({
              /** Format: date-time */
              at: string;
              phrase: string | null;
            } & {
              [key: string]: unknown;
            })
          | null;
        timer:
          | ({
              id: string;
              /** Format: date-time */
              dueAt: string;
            } & {
              [key: string]: unknown;
            })
          | null;
      };
      /** @description consent to SMS of a number typed into the widget; null when never asked */
      smsConsent: {
        /** @enum {string} */
        status: 'pending' | 'confirmed';
        phone: string;
        /** Format: date-time */
        requestedAt: string;
        confirmedAt: string | null;
        source: string | null;
      } | null;
      humanActive: boolean;
      bot: {
        id: string;
        name: string;
        active: boolean;
        timezone: string;
        channelSwitching: boolean;
        bookingUrl: string | null;
        scenarioEnabled: boolean | null;
      };
      zones: {
        business: string;
        contact: string;
        /** @enum {string} */
        contactZoneSource: 'contact' | 'phone' | 'bot';
      };
      /** @enum {string} */
      presence: 'open' | 'closed' | 'unknown';
      /**
       * Format: date-time
       * @description the server's clock (relative times are computed against it)
       */
      now: string;
      pendingFollowUps: components['schemas']['PendingFollowUp'][];
      botSilenceTimer: {
        id: string;
        /** Format: date-time */
        dueAt: string;
        dueInBusinessZone: components['schemas']['Zoned'];
        meaning: string;
      } | null;
      history: components['schemas']['FollowUp'][];
      conversation: {
        messages: components['schemas']['Message'][];
        truncated: boolean;
      };
      transitions: {
        entries: components['schemas']['Transition'][];
        total: number;
      };
      appointments: {
        eventId: string | null;
        event: string;
        startsAt: string | null;
        title: string | null;
        /** Format: date-time */
        receivedAt: string;
      }[];
      notifications: components['schemas']['Notification'][];
      /** @description what retention deleted of this history; null when nothing */
      historyPruned: {
        messagesBefore: string | null;
        followUpsBefore: string | null;
        transitionsThrough: number | null;
        transitionsBefore: string | null;
        /** Format: date-time */
        prunedAt: string;
      } | null;
      links: {
        visualizer: string;
      };
    };
    Forecast: {
      botId: string;
      /** Format: date-time */
      from: string;
      /** Format: date-time */
      to: string;
      hours: number;
      businessZone: string;
      botActive: boolean;
      items: {
        /** @enum {string} */
        kind: 'scheduled' | 'projected';
        followUpId: string | null;
        /** @enum {string} */
        scenario: 'stoppedReplying' | 'busy' | 'requestedTime';
        step: number;
        /** Format: date-time */
        dueAt: string;
        dueInBusinessZone: components['schemas']['Zoned'];
        dueInContactZone: components['schemas']['Zoned'];
        /**
         * Format: date-time
         * @description when it would really go out (SMS quiet hours and working hours applied)
         */
        sendAt: string;
        sendInBusinessZone: components['schemas']['Zoned'];
        sendInContactZone: components['schemas']['Zoned'];
        deferredBy: string[];
        channel: string;
        channelReason: string;
        switched: boolean;
        /** @enum {string} */
        presence: 'open' | 'closed' | 'unknown' | 'irrelevant';
        alternative: {
          channel: string;
          reason: string;
        } | null;
        /** @enum {string} */
        outcome: 'send' | 'skip';
        skipReason: string | null;
        /** @enum {string} */
        messageMode: 'ai' | 'custom';
        messagePreview: string | null;
        /** @description the workflow actions it runs */
        workflow: ({
          type: string;
        } & {
          [key: string]: unknown;
        })[];
        contactId: string;
        contact: {
          id: string;
          name: string | null;
          phone: string | null;
          email: string | null;
          /** @enum {string} */
          state: 'active' | 'awaiting' | 'busy' | 'scheduled' | 'stopped' | 'booked';
          lastChannel: string;
        };
        trigger: components['schemas']['Trigger'] | null;
      }[];
      truncated: boolean;
      summary: {
        scheduled: number;
        projected: number;
        sends: number;
        skips: number;
        contacts: number;
        byChannel: {
          [key: string]: number;
        };
        byScenario: {
          [key: string]: number;
        };
        skipReasons: {
          [key: string]: number;
        };
      };
    };
    Metrics: {
      botId: string;
      /** Format: date-time */
      from: string;
      /** Format: date-time */
      to: string;
      armed: {
        total: number;
        byScenario: {
          [key: string]: number;
        };
      };
      sent: {
        total: number;
        byChannel: {
          [key: string]: number;
        };
        byScenario: {
          [key: string]: number;
        };
      };
      skipped: {
        total: number;
        byReason: {
          [key: string]: number;
        };
      };
      cancelled: {
        total: number;
        byReason: {
          [key: string]: number;
        };
      };
      pendingNow: number;
      replyRate: {
        /** @enum {string} */
        scenario: 'stoppedReplying' | 'busy' | 'requestedTime';
        step: number;
        sent: number;
        replied: number;
        rate: number | null;
      }[];
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
