/** A message catalogue: ICU MessageFormat texts by nested key (`subject.HELP_REQUEST_NEW`). */
export interface MessageCatalogue {
  [key: string]: string | MessageCatalogue;
}
