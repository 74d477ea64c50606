import type { MessageCatalogue } from "./catalogue.js";

/**
 * English texts of notifications, in ICU MessageFormat. Every key here exists in nl.ts too (a unit test
 * fails otherwise). Messages say what happened and where to read the rest; they never carry what a
 * person wrote, health or care details, or an address.
 */
export const en: MessageCatalogue = {
  common: {
    greeting: "Hello {name},",
    button: "Open in Zorgzaam",
    readMore: "Sign in to read the rest: {url}",
    urgent: "This request is urgent.",
    dailyLimit: "You receive at most {limit, plural, one {# e-mail} other {# e-mails}} a day about new requests.",
    settings: "Choose what you receive: {url}",
    unsubscribe: "Stop e-mails about this: {url}",
    signature: "Zorgzaam",
    noDate: "not known yet",
  },
  why: {
    volunteer: "You receive this because you volunteer through Zorgzaam.",
    requester: "You receive this because you asked for help through Zorgzaam.",
    participant: "You receive this because you signed up (or someone signed you up) through Zorgzaam.",
    circle: "You receive this because you are in a care circle on Zorgzaam.",
  },
  about: {
    own: "your request for help with {category}",
    onBehalf: "the request for help with {category} you asked for {forName}",
  },
  subject: {
    HELP_REQUEST_NEW: "{urgent, select, true {Urgent: a new request} other {A new request}} in {neighbourhood} fits you",
    HELD_REQUEST_CHANGED: "A request you help with has changed",
    HELD_REQUEST_CANCELLED: "A request you help with was cancelled",
    HELP_REQUEST_MATCHED: "A volunteer will help",
    HELP_REQUEST_STARTED: "The volunteer has started",
    HELP_REQUEST_DONE: "The help is done",
    HELP_REQUEST_RELEASED: "Your request is open to volunteers again",
    HELP_REQUEST_ESCALATED: "A professional team takes over",
    INITIATIVE_SIGNUP_CONFIRMED: "Your place is confirmed",
    INITIATIVE_SIGNUP_WAITLISTED: "On the waiting list",
    INITIATIVE_SIGNUP_PROMOTED: "A place has come free",
    INITIATIVE_RESCHEDULED: "New dates",
    INITIATIVE_CANCELLED: "Cancelled",
    CARE_SWAP_PROPOSED: "Can you take over a shift?",
    CARE_GAP_POSTED: "A shift went to volunteers",
  },
  body: {
    HELP_REQUEST_NEW: "A new request for help with {category} in {neighbourhood} fits your volunteer profile. Help is wanted from {when}.",
    HELD_REQUEST_CHANGED: "The request for help with {category} that you took on has been handed to a professional team. You do not need to do anything for it any more.",
    HELD_REQUEST_CANCELLED: "The request for help with {category} that you took on was cancelled. You do not need to do anything for it any more.",
    HELP_REQUEST_MATCHED: "A volunteer has taken on {about}. Sign in to see who it is and how to reach them.",
    HELP_REQUEST_STARTED: "The volunteer has started on {about}.",
    HELP_REQUEST_DONE: "The help with {about} is done. Thank you for using Zorgzaam.",
    HELP_REQUEST_RELEASED: "The volunteer could not go on with {about}. It is open to other volunteers again.",
    HELP_REQUEST_ESCALATED: "We have handed {about} to a professional team, who will contact you.",
    INITIATIVE_SIGNUP_CONFIRMED: "{onBehalf, select, true {The place of {forName}} other {Your place}} at {what} in {neighbourhood} is confirmed. The next date is {when}.",
    INITIATIVE_SIGNUP_WAITLISTED:
      "{onBehalf, select, true {{forName} is} other {You are}} on the waiting list for {what} in {neighbourhood}. You will hear from us when a place comes free.",
    INITIATIVE_SIGNUP_PROMOTED: "A place came free: {onBehalf, select, true {{forName} has} other {you have}} a place at {what} in {neighbourhood}. The next date is {when}.",
    INITIATIVE_RESCHEDULED:
      "The dates of {what} in {neighbourhood} {onBehalf, select, true {that you signed {forName} up for} other {that you signed up for}} have changed. The next date is now {when}.",
    INITIATIVE_CANCELLED: "The organisers have cancelled {what} in {neighbourhood} {onBehalf, select, true {that you signed {forName} up for} other {that you signed up for}}.",
    CARE_SWAP_PROPOSED: "A member of your care circle asks whether you can take over their shift on {when}. Sign in to accept or decline.",
    CARE_GAP_POSTED: "Nobody in your care circle could take the shift on {when}, so it has been posted to volunteers. Sign in to follow it.",
  },
  kindLabel: {
    HELP_REQUEST_NEW: "new requests that fit you",
    HELD_REQUEST_CHANGED: "changes to requests you help with",
    HELD_REQUEST_CANCELLED: "requests you help with that are cancelled",
    HELP_REQUEST_MATCHED: "a volunteer taking on your request",
    HELP_REQUEST_STARTED: "the volunteer starting on your request",
    HELP_REQUEST_DONE: "your request being done",
    HELP_REQUEST_RELEASED: "your request being open to volunteers again",
    HELP_REQUEST_ESCALATED: "your request going to a professional team",
    INITIATIVE_SIGNUP_CONFIRMED: "a confirmed place at an initiative",
    INITIATIVE_SIGNUP_WAITLISTED: "a place on a waiting list",
    INITIATIVE_SIGNUP_PROMOTED: "a place that came free for you",
    INITIATIVE_RESCHEDULED: "new dates of an initiative you signed up for",
    INITIATIVE_CANCELLED: "a cancelled initiative you signed up for",
    CARE_SWAP_PROPOSED: "shifts other members ask you to take over",
    CARE_GAP_POSTED: "shifts of your care circle posted to volunteers",
  },
  initiativeKind: {
    ACTIVITY: "an activity",
    MEETING_PLACE: "a meeting place",
    COURSE: "a course",
    SERVICE: "a consultation hour",
    PARTICIPATION_PLACE: "a participation place",
  },
  unsubscribePage: {
    title: "Stop e-mails",
    question: "Do you want to stop receiving e-mails about {kind}?",
    button: "Stop these e-mails",
    done: "Done: you no longer receive e-mails about {kind}. You can switch them on again in your settings.",
    invalid: "This link is not valid (any more).",
  },
};
