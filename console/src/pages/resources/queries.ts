/**
 * Reads the resource pages share with the drift page: the profiles the viewer holds a duty on (for filters and
 * owners) and the resources, optionally of one profile.
 */
import { useQuery } from '@tanstack/react-query';
import { api, data } from '../../api/client';

export function useProfiles() {
  return useQuery({
    queryKey: ['profiles'],
    queryFn: async () => data(await api.GET('/v1/profiles')).profiles,
  });
}

/** Resources, of one profile when `profile` is not empty. */
export function useResources(profile: string) {
  return useQuery({
    queryKey: ['resources', profile],
    queryFn: async () =>
      data(await api.GET('/v1/resources', { params: { query: profile === '' ? {} : { profile } } })).resources,
  });
}
